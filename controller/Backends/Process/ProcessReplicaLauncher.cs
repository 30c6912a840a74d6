using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Faas.Controller.Configuration;

namespace Faas.Controller.Backends.Process;

/// <summary>
/// Starts the watchdog as <c>/bin/sh -c 'exec "$0" "$FAAS_WATCHDOG_DLL" &lt;/dev/null &gt;&gt;"$FAAS_REPLICA_LOG" 2&gt;&amp;1' &lt;dotnet_path&gt;</c>:
/// <c>exec</c> makes the dotnet process keep the pid we record, and the shell redirection sends its
/// output to the log file, which keeps working when the controller is gone.
/// </summary>
public sealed class ProcessReplicaLauncher(ControllerOptions options) : IReplicaLauncher
{
    internal const string Script = "exec \"$0\" \"$FAAS_WATCHDOG_DLL\" </dev/null >>\"$FAAS_REPLICA_LOG\" 2>&1";

    /// <summary>Inherited variables that would make the watchdog listen somewhere else.</summary>
    private static readonly string[] Dropped = ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS"];

    public IReplicaProcess Launch(ReplicaLaunchSpec spec)
    {
        var watchdog = options.WatchdogPath
            ?? throw new InvalidOperationException(
                $"the watchdog (Faas.Watchdog.dll) was not found; looked in {string.Join(", ", options.WatchdogSearchPaths)}: build watchdog/ or set watchdog_path");

        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(spec.HandlerAssembly) is { Length: > 0 } dir && Directory.Exists(dir) ? dir : options.StateDir,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(Script);
        startInfo.ArgumentList.Add(options.DotnetPath);

        // The watchdog reads its configuration from lower-case variables: do not pass the
        // controller's own (port, bind_address, basic_auth, ...) down to it.
        foreach (var key in startInfo.Environment.Keys.ToList())
        {
            if (key.Any(char.IsAsciiLetterLower) || Dropped.Contains(key, StringComparer.Ordinal))
            {
                startInfo.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in spec.Environment)
        {
            startInfo.Environment[key] = value;
        }

        startInfo.Environment["FAAS_WATCHDOG_DLL"] = watchdog;
        startInfo.Environment["FAAS_REPLICA_LOG"] = spec.LogFile;

        var process = System.Diagnostics.Process.Start(startInfo)
            ?? throw new InvalidOperationException("/bin/sh could not be started");
        return new OsReplicaProcess(process.Id, process);
    }

    public IReplicaProcess? TryAdopt(int pid, string replicaId)
    {
        if (pid <= 0 || !OsReplicaProcess.IsAlive(pid))
        {
            return null;
        }

        try
        {
            var environ = File.ReadAllBytes($"/proc/{pid}/environ");
            var wanted = Encoding.UTF8.GetBytes("FAAS_REPLICA_ID=" + replicaId);
            foreach (var entry in Split(environ))
            {
                if (entry.SequenceEqual(wanted))
                {
                    return new OsReplicaProcess(pid, process: null);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile, or not ours to read: not adoptable.
        }

        return null;
    }

    private static IEnumerable<byte[]> Split(byte[] environ)
    {
        var start = 0;
        for (var i = 0; i <= environ.Length; i++)
        {
            if (i == environ.Length || environ[i] == 0)
            {
                if (i > start)
                {
                    yield return environ[start..i];
                }

                start = i + 1;
            }
        }
    }
}

/// <summary>
/// A replica process: our child (exit observed through <see cref="System.Diagnostics.Process"/>)
/// or one adopted after a restart (not our child, so its exit is observed through <c>/proc</c>).
/// </summary>
internal sealed partial class OsReplicaProcess(int pid, System.Diagnostics.Process? process) : IReplicaProcess
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;
    private static readonly TimeSpan AdoptedPollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    public int Pid { get; } = pid;

    public bool HasExited => process?.HasExited ?? !IsAlive(Pid);

    public bool IsPaused => StateOf(Pid) == 'T';

    public bool Pause() => !HasExited && kill(Pid, SigStop) == 0;

    public bool Resume() => !HasExited && kill(Pid, SigCont) == 0;

    public async Task WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        if (process is not null)
        {
            await process.WaitForExitAsync(cancellationToken);
            return;
        }

        while (IsAlive(Pid))
        {
            await Task.Delay(AdoptedPollInterval, cancellationToken);
        }
    }

    public async Task StopAsync(TimeSpan drainTimeout, CancellationToken cancellationToken = default)
    {
        if (HasExited)
        {
            return;
        }

        // A stopped process would hold SIGTERM until continued: never leave one paused for good.
        _ = kill(Pid, SigCont);
        if (drainTimeout > TimeSpan.Zero)
        {
            _ = kill(Pid, SigTerm);
            if (await ExitedWithinAsync(drainTimeout, cancellationToken))
            {
                return;
            }
        }

        if (!HasExited)
        {
            _ = kill(Pid, SigKill);
        }

        await ExitedWithinAsync(KillWait, cancellationToken);
    }

    public void Dispose() => process?.Dispose();

    /// <summary>Alive and not a zombie (an exited process whose parent has not reaped it yet).</summary>
    internal static bool IsAlive(int pid) => StateOf(pid) is not ('Z' or '\0');

    /// <summary>The state letter of <c>/proc/&lt;pid&gt;/stat</c> (R, S, T, Z, ...); '\0' when the process is gone; '?' when unreadable.</summary>
    internal static char StateOf(int pid)
    {
        try
        {
            // The state follows the command name in parentheses, which may itself contain ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length ? '?' : stat[close + 2];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return '\0';
        }
    }

    private async Task<bool> ExitedWithinAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        await WaitForExitAsync(timer.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return HasExited;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
