namespace Faas.Cli;

/// <summary>
/// Process exit codes of faas-cli.
/// <list type="table">
/// <item><term>0</term><description>success</description></item>
/// <item><term>1</term><description>failure: gateway error, connection refused, bad stack file, build failed</description></item>
/// <item><term>2</term><description>usage: unknown command or option, missing or invalid argument</description></item>
/// <item><term>3</term><description>not ready: <c>ready</c> gave up after its attempts</description></item>
/// <item><term>130</term><description>interrupted (Ctrl+C)</description></item>
/// </list>
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int NotReady = 3;
    public const int Interrupted = 130;
}
