namespace Faas.Controller.Backends.Docker;

/// <summary>Which freezer interface a container's cgroup has.</summary>
internal enum CgroupVersion
{
    /// <summary>cgroup v1 freezer controller: <c>freezer.state</c> (FROZEN / THAWED, reads FREEZING while in progress).</summary>
    V1,

    /// <summary>cgroup v2: <c>cgroup.freeze</c> (1 / 0), the outcome in <c>cgroup.events</c> (<c>frozen 1</c>).</summary>
    V2,
}

internal enum FreezerState
{
    Thawed,

    /// <summary>Frozen, or on its way (v1 FREEZING): either way the processes do not answer.</summary>
    Frozen,

    /// <summary>The files are gone (the container stopped) or unreadable.</summary>
    Unknown,
}

/// <summary>One container's freezer: its cgroup directory and the interface it has.</summary>
internal sealed record CgroupFreezerFile(CgroupVersion Version, string Directory)
{
    public string ControlFile => Path.Combine(Directory, Version == CgroupVersion.V1 ? "freezer.state" : "cgroup.freeze");
}

/// <summary>
/// Freezes and thaws a container's cgroup by writing its freezer file (what runc does for
/// <c>docker pause</c>, minus the daemon round trips): microseconds instead of tens of milliseconds.
/// </summary>
internal static class CgroupFreezer
{
    /// <summary>How long a freeze may stay in progress (a task in uninterruptible sleep) before it is given up.</summary>
    private static readonly TimeSpan FreezeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The freezer of the container whose init process has <paramref name="procCgroup"/> as its
    /// <c>/proc/&lt;pid&gt;/cgroup</c>: the v1 <c>freezer</c> hierarchy when there is one (runc uses it
    /// on hybrid hosts too), else the v2 unified one. Null when neither is there or the path does not
    /// name <paramref name="containerId"/> (the pid is someone else's, e.g. another pid namespace).
    /// </summary>
    public static CgroupFreezerFile? Locate(string procCgroup, string containerId, string cgroupRoot, bool unifiedAtRoot)
    {
        string? v1 = null, v2 = null, v1Mount = null;
        foreach (var line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // hierarchy-id:controller-list:path; the path may itself hold ':'.
            var first = line.IndexOf(':');
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                continue;
            }

            var controllers = line[(first + 1)..second];
            var path = line[(second + 1)..];
            if (line[..first] == "0" && controllers.Length == 0)
            {
                v2 = path;
            }
            else if (controllers.Split(',').Contains("freezer", StringComparer.Ordinal))
            {
                v1 = path;
                v1Mount = controllers;
            }
        }

        if (v1 is not null && v1Mount is not null)
        {
            return Named(v1, containerId) ? new CgroupFreezerFile(CgroupVersion.V1, Join(Path.Combine(cgroupRoot, v1Mount), v1)) : null;
        }

        if (v2 is not null)
        {
            // Hybrid hosts mount the unified hierarchy under <root>/unified.
            return Named(v2, containerId) ? new CgroupFreezerFile(CgroupVersion.V2, Join(unifiedAtRoot ? cgroupRoot : Path.Combine(cgroupRoot, "unified"), v2)) : null;
        }

        return null;
    }

    public static FreezerState Read(CgroupFreezerFile file)
    {
        try
        {
            if (file.Version == CgroupVersion.V1)
            {
                return File.ReadAllText(Path.Combine(file.Directory, "freezer.state")).Trim() switch
                {
                    "THAWED" => FreezerState.Thawed,
                    "FROZEN" or "FREEZING" => FreezerState.Frozen,
                    _ => FreezerState.Unknown,
                };
            }

            foreach (var line in File.ReadLines(Path.Combine(file.Directory, "cgroup.events")))
            {
                if (line.StartsWith("frozen ", StringComparison.Ordinal))
                {
                    return line.EndsWith('1') ? FreezerState.Frozen : FreezerState.Thawed;
                }
            }

            return FreezerState.Unknown;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FreezerState.Unknown;
        }
    }

    /// <summary>Whether this process may write the freezer file (opening for write changes nothing).</summary>
    public static bool IsWritable(CgroupFreezerFile file)
    {
        try
        {
            using var stream = new FileStream(file.ControlFile, FileMode.Open, FileAccess.Write);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Freezes the cgroup and waits until every task is frozen; null when done, else why not (then it is thawed again).</summary>
    public static async Task<string?> FreezeAsync(CgroupFreezerFile file, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + FreezeTimeout;
        try
        {
            while (true)
            {
                // v1 re-tries the tasks it could not freeze yet on each write; v2 freezes asynchronously.
                Write(file, frozen: true);
                if (file.Version == CgroupVersion.V1
                    ? File.ReadAllText(file.ControlFile).Trim() == "FROZEN"
                    : Read(file) == FreezerState.Frozen)
                {
                    return null;
                }

                if (time.GetUtcNow() > deadline)
                {
                    Write(file, frozen: false);
                    return $"its cgroup did not freeze within {FreezeTimeout.TotalSeconds:0} s";
                }

                await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"writing {file.ControlFile} failed ({e.Message})";
        }
    }

    /// <summary>Thaws the cgroup; false when the file is gone (the container stopped: nothing is frozen).</summary>
    public static bool Thaw(CgroupFreezerFile file)
    {
        try
        {
            Write(file, frozen: false);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Write(CgroupFreezerFile file, bool frozen)
    {
        var value = file.Version == CgroupVersion.V1 ? (frozen ? "FROZEN" : "THAWED") : (frozen ? "1" : "0");
        File.WriteAllText(file.ControlFile, value);
    }

    private static bool Named(string path, string containerId) =>
        containerId.Length >= 12 && path.Contains(containerId, StringComparison.Ordinal);

    private static string Join(string mount, string path) => Path.Join(mount, path.TrimStart('/'));
}
