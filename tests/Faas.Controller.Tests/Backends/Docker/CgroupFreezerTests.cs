using Faas.Controller.Backends.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>Finding and driving a container's cgroup freezer from <c>/proc/&lt;pid&gt;/cgroup</c>, without Docker.</summary>
public sealed class CgroupFreezerTests : IDisposable
{
    private const string Id = "3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a";

    private readonly string _dir = Directory.CreateTempSubdirectory("faas-freezer-").FullName;

    [Fact]
    public void Locate_V1Hybrid_UsesTheFreezerHierarchy()
    {
        var proc = $"""
            12:pids:/docker/{Id}
            6:freezer:/docker/{Id}
            4:memory:/docker/{Id}
            1:name=systemd:/docker/{Id}
            0::/docker/{Id}
            """;

        var file = CgroupFreezer.Locate(proc, Id, "/sys/fs/cgroup", unifiedAtRoot: false);

        Assert.Equal(new CgroupFreezerFile(CgroupVersion.V1, $"/sys/fs/cgroup/freezer/docker/{Id}"), file);
        Assert.Equal($"/sys/fs/cgroup/freezer/docker/{Id}/freezer.state", file!.ControlFile);
    }

    [Fact]
    public void Locate_V1CoMountedAndSystemdDriver_JoinsTheControllerList()
    {
        var proc = $"7:cpuset:/system.slice/docker-{Id}.scope\n3:freezer,devices:/system.slice/docker-{Id}.scope\n";

        var file = CgroupFreezer.Locate(proc, Id, "/host/cgroup", unifiedAtRoot: false);

        Assert.Equal(new CgroupFreezerFile(CgroupVersion.V1, $"/host/cgroup/freezer,devices/system.slice/docker-{Id}.scope"), file);
    }

    [Fact]
    public void Locate_V2Only_UsesTheUnifiedRoot()
    {
        var file = CgroupFreezer.Locate($"0::/system.slice/docker-{Id}.scope\n", Id, "/sys/fs/cgroup", unifiedAtRoot: true);

        Assert.Equal(new CgroupFreezerFile(CgroupVersion.V2, $"/sys/fs/cgroup/system.slice/docker-{Id}.scope"), file);
        Assert.Equal($"/sys/fs/cgroup/system.slice/docker-{Id}.scope/cgroup.freeze", file!.ControlFile);
    }

    [Fact]
    public void Locate_V2OnHybridWithoutV1Freezer_UsesUnifiedMount()
    {
        var file = CgroupFreezer.Locate($"4:memory:/docker/{Id}\n0::/docker/{Id}\n", Id, "/sys/fs/cgroup", unifiedAtRoot: false);

        Assert.Equal(new CgroupFreezerFile(CgroupVersion.V2, $"/sys/fs/cgroup/unified/docker/{Id}"), file);
    }

    [Theory]
    [InlineData("6:freezer:/\n0::/\n")] // the pid is not in the container's cgroup (another pid namespace, reused pid)
    [InlineData("6:freezer:/docker/0123456789abcdef\n")] // another container
    [InlineData("4:memory:/docker/x\n")] // no freezer, no unified line
    [InlineData("")]
    [InlineData("garbage without colons")]
    public void Locate_PathNotNamingTheContainer_IsNull(string proc)
    {
        Assert.Null(CgroupFreezer.Locate(proc, Id, "/sys/fs/cgroup", unifiedAtRoot: false));
    }

    [Fact]
    public void Locate_PathWithColon_KeepsItWhole()
    {
        var file = CgroupFreezer.Locate($"6:freezer:/pods/a:b/{Id}\n", Id, "/c", unifiedAtRoot: false);

        Assert.Equal($"/c/freezer/pods/a:b/{Id}", file!.Directory);
    }

    [Theory]
    [InlineData("THAWED\n", "Thawed")]
    [InlineData("FROZEN\n", "Frozen")]
    [InlineData("FREEZING\n", "Frozen")]
    [InlineData("what\n", "Unknown")]
    public void Read_V1State(string content, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "freezer.state"), content);

        Assert.Equal(expected, CgroupFreezer.Read(new CgroupFreezerFile(CgroupVersion.V1, _dir)).ToString());
    }

    [Theory]
    [InlineData("populated 1\nfrozen 1\n", "Frozen")]
    [InlineData("populated 1\nfrozen 0\n", "Thawed")]
    [InlineData("populated 1\n", "Unknown")]
    public void Read_V2Events(string events, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "cgroup.events"), events);

        Assert.Equal(expected, CgroupFreezer.Read(new CgroupFreezerFile(CgroupVersion.V2, _dir)).ToString());
    }

    [Fact]
    public void Read_GoneCgroup_IsUnknown_ThawSaysSo()
    {
        var gone = new CgroupFreezerFile(CgroupVersion.V1, Path.Combine(_dir, "gone"));

        Assert.Equal(FreezerState.Unknown, CgroupFreezer.Read(gone));
        Assert.False(CgroupFreezer.Thaw(gone));
        Assert.False(CgroupFreezer.IsWritable(gone));
    }

    [Fact]
    public async Task FreezeThaw_V1_WritesTheStateFile()
    {
        var file = new CgroupFreezerFile(CgroupVersion.V1, _dir);
        File.WriteAllText(file.ControlFile, "THAWED\n");
        Assert.True(CgroupFreezer.IsWritable(file));

        Assert.Null(await CgroupFreezer.FreezeAsync(file, TimeProvider.System, CancellationToken.None));
        Assert.Equal("FROZEN", File.ReadAllText(file.ControlFile));

        Assert.True(CgroupFreezer.Thaw(file));
        Assert.Equal("THAWED", File.ReadAllText(file.ControlFile));
    }

    [Fact]
    public async Task Freeze_V2NeverReportedFrozen_GivesUpAndThaws()
    {
        // A plain directory: cgroup.events never says "frozen 1", as when a task cannot be frozen.
        var file = new CgroupFreezerFile(CgroupVersion.V2, _dir);
        File.WriteAllText(Path.Combine(_dir, "cgroup.events"), "populated 1\nfrozen 0\n");

        var error = await CgroupFreezer.FreezeAsync(file, TimeProvider.System, CancellationToken.None);

        Assert.Contains("did not freeze", error);
        Assert.Equal("0", File.ReadAllText(file.ControlFile));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
