using Faas.Controller.Backends.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>Whether a pid the daemon reports is the container's process in this machine's /proc (no daemon needed).</summary>
public sealed class DockerBackendCpuTests
{
    private const string Id = "3f9c1e0b7a2d4c5e8f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6";

    [Theory]
    // cgroup v1, cgroupfs driver.
    [InlineData("12:cpu,cpuacct:/docker/" + Id + "\n11:memory:/docker/" + Id + "\n")]
    // cgroup v2, systemd driver.
    [InlineData("0::/system.slice/docker-" + Id + ".scope\n")]
    // cgroup v2, cgroupfs driver under a custom cgroup parent.
    [InlineData("0::/faas/parent/" + Id + "\n")]
    public void IsContainerProcess_WhenTheCgroupNamesTheContainer(string cgroup)
    {
        using var proc = FakeProc(4242, cgroup);

        Assert.True(DockerBackend.IsContainerProcess(proc.Path, 4242, Id));
    }

    [Fact]
    public void IsNotContainerProcess_WhenThePidIsAnotherProcess()
    {
        // The controller in a container, or apart from the daemon: the same number is someone else (or the controller itself).
        using var proc = FakeProc(4242, "0::/\n");

        Assert.False(DockerBackend.IsContainerProcess(proc.Path, 4242, Id));
    }

    [Fact]
    public void IsNotContainerProcess_WhenThePidIsAnotherContainer()
    {
        using var proc = FakeProc(4242, "0::/system.slice/docker-" + new string('a', 64) + ".scope\n");

        Assert.False(DockerBackend.IsContainerProcess(proc.Path, 4242, Id));
    }

    [Fact]
    public void IsNotContainerProcess_WhenThePidIsNotInProc_OrNotSet()
    {
        using var proc = FakeProc(4242, "0::/docker/" + Id + "\n");

        Assert.False(DockerBackend.IsContainerProcess(proc.Path, 999999, Id));
        Assert.False(DockerBackend.IsContainerProcess(proc.Path, 0, Id));
        Assert.False(DockerBackend.IsContainerProcess(proc.Path, 4242, ""));
    }

    private static TempDir FakeProc(int pid, string cgroup)
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine(pid.ToString()));
        File.WriteAllText(dir.Combine(pid.ToString(), "cgroup"), cgroup);
        return dir;
    }
}
