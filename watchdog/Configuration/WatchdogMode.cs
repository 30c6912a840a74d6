namespace Faas.Watchdog.Configuration;

/// <summary>How the watchdog runs the function; one runner per mode (<c>watchdog/Modes/</c>).</summary>
public enum WatchdogMode
{
    /// <summary>The compiled C# handler is loaded into the watchdog process and called directly.</summary>
    InProc,

    /// <summary><c>fprocess</c> is started once and every call is proxied to its <c>upstream_url</c> (of-watchdog http mode).</summary>
    Http,

    /// <summary><c>fprocess</c> is forked per call: body on stdin, stdout streamed back (of-watchdog streaming mode).</summary>
    Streaming,
}
