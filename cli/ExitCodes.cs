namespace Faas.Cli;

/// <summary>
/// Process exit codes of faas-cli.
/// <list type="table">
/// <item><term>0</term><description>success</description></item>
/// <item><term>1</term><description>failure: gateway error, connection refused, bad stack file, build failed</description></item>
/// <item><term>2</term><description>usage: unknown command or option, missing or invalid argument</description></item>
/// </list>
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
