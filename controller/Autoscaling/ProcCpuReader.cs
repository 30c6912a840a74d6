using System.Globalization;

namespace Faas.Controller.Autoscaling;

/// <summary>
/// CPU time of a process and its live descendants from <c>/proc</c> (Linux). A replica is the
/// watchdog plus the function process(es) it forks, so both count.
/// </summary>
public static class ProcCpuReader
{
    // USER_HZ: the unit of the /proc tick counters; 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    // A fork bomb in a function must not make a scrape walk forever.
    private const int MaxProcesses = 256;

    /// <summary>
    /// utime + stime + cutime + cstime of <paramref name="pid"/> and its descendants, in seconds;
    /// null when the process is gone or /proc is not there. Reaped children move into their
    /// parent's cutime/cstime, so the sum does not drop when one exits.
    /// </summary>
    public static double? ReadSeconds(int pid, string procRoot = "/proc")
    {
        if (ReadTicks(procRoot, pid) is not { } total)
        {
            return null;
        }

        var pending = new Stack<int>();
        var seen = new HashSet<int> { pid };
        PushChildren(procRoot, pid, pending, seen);
        while (pending.Count > 0)
        {
            var child = pending.Pop();
            total += ReadTicks(procRoot, child) ?? 0;
            PushChildren(procRoot, child, pending, seen);
        }

        return total / TicksPerSecond;
    }

    /// <summary>Parses the four tick fields of a <c>/proc/&lt;pid&gt;/stat</c> line; null when malformed.</summary>
    public static long? ParseStatTicks(string stat)
    {
        // The command (field 2) is in parentheses and may hold spaces or ')': split after the last one.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // Fields from 3 (state) on; utime, stime, cutime, cstime are fields 14-17.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 15)
        {
            return null;
        }

        long sum = 0;
        for (var i = 11; i <= 14; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks))
            {
                return null;
            }

            sum += ticks;
        }

        return sum;
    }

    private static long? ReadTicks(string procRoot, int pid)
    {
        try
        {
            return ParseStatTicks(File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "stat")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void PushChildren(string procRoot, int pid, Stack<int> pending, HashSet<int> seen)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "task"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var task in tasks)
        {
            string children;
            try
            {
                children = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var text in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                    && seen.Count < MaxProcesses && seen.Add(child))
                {
                    pending.Push(child);
                }
            }
        }
    }
}
