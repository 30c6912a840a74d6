using System.Diagnostics;
using System.Runtime.InteropServices;
using Faas.Controller.Backends.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

public sealed class SandboxProgramTests
{
    [Fact]
    public void Amd64Program_IsAnElfExecutableWhoseEntryIsItsCode()
    {
        var program = SandboxProgram.For("amd64")!;
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, program[..4]);
        Assert.Equal(0x3e, BitConverter.ToUInt16(program, 18));
        var entry = BitConverter.ToUInt64(program, 24);
        var loadAddress = BitConverter.ToUInt64(program, 64 + 16);
        Assert.InRange(entry - loadAddress, 120UL, (ulong)program.Length - 1);
        Assert.Equal((ulong)program.Length, BitConverter.ToUInt64(program, 64 + 32));
        Assert.Null(SandboxProgram.For("s390x"));
    }

    [Fact]
    public async Task Amd64Program_RunsUntilKilled()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            Assert.Null(SandboxProgram.For(RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()));
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"faas-sandbox-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(path, SandboxProgram.For("amd64")!);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo(path) { UseShellExecute = false })!;
        try
        {
            // Still running after a while, and asleep (not spinning): a loop around pause(2).
            await Task.Delay(300);
            Assert.False(process.HasExited);
            var state = (await File.ReadAllLinesAsync($"/proc/{process.Id}/status")).Single(l => l.StartsWith("State:", StringComparison.Ordinal));
            Assert.Contains("S (sleeping)", state);
            process.Kill();
            await process.WaitForExitAsync();
            Assert.Equal(137, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            File.Delete(path);
        }
    }
}
