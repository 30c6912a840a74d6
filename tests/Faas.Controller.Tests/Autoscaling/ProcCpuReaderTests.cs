using System.Diagnostics;
using Faas.Controller.Autoscaling;

namespace Faas.Controller.Tests.Autoscaling;

public sealed class ProcCpuReaderTests
{
    [Fact]
    public void ParseStatTicks_SumsUserSystemAndReapedChildren_EvenWithParenthesesInTheCommand()
    {
        // Fields 14-17 are 7, 3, 20, 10.
        const string stat = "4242 (we ird) (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 20 10 20 0 1 0 12345 1000000 200";

        Assert.Equal(40, ProcCpuReader.ParseStatTicks(stat));
        Assert.Null(ProcCpuReader.ParseStatTicks("4242 (short) S 1 2"));
        Assert.Null(ProcCpuReader.ParseStatTicks("no parenthesis"));
    }

    [Fact]
    public void ReadSeconds_IsNull_ForAProcessThatDoesNotExist()
    {
        using var dir = new TempDir();

        Assert.Null(ProcCpuReader.ReadSeconds(12345, dir.Path));
    }

    [Fact]
    public async Task ReadSeconds_CountsABusyGrandchild_OfTheReplicaProcess()
    {
        // sh waits on a spinning child: the replica's own stat shows almost nothing, the tree a lot.
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done & wait"]))!;
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            double? seconds = 0;
            while (DateTime.UtcNow < deadline && (seconds = ProcCpuReader.ReadSeconds(shell.Id)) < 0.3)
            {
                await Task.Delay(100);
            }

            Assert.True(seconds >= 0.3, $"the spinning child's CPU time was not counted: {seconds}");
            var own = ProcCpuReader.ParseStatTicks(await File.ReadAllTextAsync($"/proc/{shell.Id}/stat"))! / 100.0;
            Assert.True(own < seconds, "the tree should count more than the shell itself");
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
            await shell.WaitForExitAsync();
        }
    }
}
