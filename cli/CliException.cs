namespace Faas.Cli;

/// <summary>
/// Root of the expected failures a command reports as a message (no stack trace) and an exit code.
/// </summary>
public abstract class CliException : Exception
{
    protected CliException(string message, int exitCode, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}

/// <summary>The command line is wrong (exit 2).</summary>
public sealed class UsageException(string message) : CliException(message, ExitCodes.Usage);

/// <summary>The command could not do its work: bad stack file, gateway error, build failed (exit 1).</summary>
public sealed class CommandFailedException(string message, Exception? inner = null) : CliException(message, ExitCodes.Failure, inner);

/// <summary>The gateway answered with an unexpected status, or could not be reached (exit 1).</summary>
public sealed class GatewayException(string message, int? statusCode = null, Exception? inner = null)
    : CliException(message, ExitCodes.Failure, inner)
{
    /// <summary>The HTTP status, or null when the gateway could not be reached.</summary>
    public int? StatusCode { get; } = statusCode;
}
