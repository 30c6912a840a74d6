namespace Faas.Watchdog.Configuration;

/// <summary>How the watchdog runs the function. Only <see cref="InProc"/> exists today.</summary>
public enum WatchdogMode
{
    /// <summary>The compiled C# handler is loaded into the watchdog process and called directly.</summary>
    InProc,
}
