using System.Diagnostics;
using System.Text;

namespace Faas.Watchdog.Modes;

/// <summary>Starting <c>fprocess</c> and relaying its output to the watchdog's own (the replica's log).</summary>
internal static class FunctionProcess
{
    /// <summary><c>/bin/sh -c &lt;fprocess&gt;</c>, as faasd's images do, so pipes and quoting work; the environment is inherited.</summary>
    public static ProcessStartInfo StartInfo(string command, bool redirectInput) => new("/bin/sh")
    {
        ArgumentList = { "-c", command },
        UseShellExecute = false,
        RedirectStandardInput = redirectInput,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };

    /// <summary>Copies every line of <paramref name="reader"/> to <paramref name="target"/>, keeping the last lines in <paramref name="tail"/>.</summary>
    public static async Task RelayLinesAsync(StreamReader reader, TextWriter target, OutputTail? tail = null)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                tail?.Add(line);
                await target.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process is gone; its output ends here.
        }
    }

    /// <summary>Kills the process and whatever it started (the shell's children); never throws.</summary>
    public static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }
}

/// <summary>The last lines a process wrote to stderr, for the body of a failed call.</summary>
internal sealed class OutputTail(int maxLines = 20)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > maxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            var text = new StringBuilder();
            foreach (var line in _lines)
            {
                text.Append(line).Append('\n');
            }

            return text.ToString();
        }
    }
}
