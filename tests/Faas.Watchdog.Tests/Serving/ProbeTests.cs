using System.Net;
using Faas.Watchdog.Serving;
using Faas.Watchdog.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Faas.Watchdog.Tests.Serving;

public class ProbeTests
{
    [Fact]
    public async Task Health_GetAnswersOk_OtherMethodsAnswer405()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler());

        using var get = await watchdog.Client.GetAsync("/_/health");
        using var post = await watchdog.Client.PostAsync("/_/health", new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("OK", await get.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Ready_AnswersOkWhenReady_AndProbesNeverReachTheHandler()
    {
        await using var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler());

        using var ready = await watchdog.Client.GetAsync("/_/ready");
        using var put = await watchdog.Client.PutAsync("/_/ready", new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("OK", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
    }

    [Fact]
    public async Task Ready_Answers503WhileTheInitializerRuns_ThenOk()
    {
        var gate = new Gate();
        var handler = new InitializingHandler(gate);
        await using var watchdog = await TestWatchdog.StartAsync(
            logs => WatchdogApp.BuildWithHandler(TestWatchdog.Config(("greeting", "hi")), handler, b => b.Logging.AddProvider(logs)),
            waitReady: false);
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(5));

        using var readyWhileStarting = await watchdog.Client.GetAsync("/_/ready");
        using var healthWhileStarting = await watchdog.Client.GetAsync("/_/health");
        gate.Release();
        await watchdog.Status.WhenReady.WaitAsync(TimeSpan.FromSeconds(5));
        using var readyAfter = await watchdog.Client.GetAsync("/_/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhileStarting.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthWhileStarting.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyAfter.StatusCode);
        Assert.Equal("hi", handler.InitializedWith?.Get("greeting"));
    }

    [Fact]
    public async Task InitializerFailure_StopsTheReplicaWithExitCode1()
    {
        var gate = new Gate();
        gate.Release();
        var app = WatchdogApp.BuildWithHandler(TestWatchdog.Config(), new InitializingHandler(gate, new InvalidOperationException("cache unreachable")));

        var exitCode = await WatchdogApp.RunAsync(app).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task LockFile_IsWrittenWhenReady_AndRemovedWhenDraining()
    {
        var lockFile = Path.Combine(Path.GetTempPath(), $"faas-watchdog-{Guid.NewGuid():N}.lock");
        var watchdog = await TestWatchdog.StartAsync(new EchoStringHandler(), ("lock_file_path", lockFile));
        var status = watchdog.Status;
        try
        {
            Assert.True(File.Exists(lockFile));
        }
        finally
        {
            await watchdog.DisposeAsync();
        }

        Assert.False(File.Exists(lockFile));
        Assert.Equal(ReplicaState.Draining, status.State);
    }
}
