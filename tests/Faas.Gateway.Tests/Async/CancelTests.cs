using System.Collections.Concurrent;
using System.Net.Http.Json;
using Faas.Gateway.Async;
using Faas.Gateway.Tests.Fakes;

namespace Faas.Gateway.Tests.Async;

/// <summary><c>DELETE /async-function/{callId}</c>: a queued call is skipped by the worker; a started one cannot be cancelled.</summary>
public sealed class CancelTests
{
    [Fact]
    public async Task Cancel_QueuedCall_IsSkippedByTheWorker_NoCallback_StatusCancelled()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?> { [AsyncOptionsReader.QueueWorkerKey] = "false" });
        var seen = new ConcurrentQueue<string>();
        await rig.AddFunctionAsync("later", (c, _) =>
        {
            seen.Enqueue(c.Request.Headers["X-Call-Id"].ToString());
            return c.Response.WriteAsync("ran");
        });
        using var first = await rig.EnqueueAsync("later", callId: "first:1");
        using var second = await rig.EnqueueAsync("later", callId: "second:2");

        using var cancel = await rig.Gateway.Client.DeleteAsync("/async-function/first:1");
        var cancelled = await cancel.Content.ReadFromJsonAsync<CallStatus>();
        using var again = await rig.Gateway.Client.DeleteAsync("/async-function/first:1");

        // One call at a time, in stream order: the second call's callback means the first was handled.
        await using var worker = await GatewayHost.StartAsync(rig.Controller.Url, new Dictionary<string, string?>
        {
            [AsyncOptionsReader.NatsUrlKey] = rig.Nats.Url,
            [AsyncOptionsReader.RoleKey] = AsyncOptionsReader.QueueWorkerRole,
            [AsyncOptionsReader.GatewayUrlKey] = rig.Gateway.Url,
            [AsyncOptionsReader.MaxInflightKey] = "1",
        });
        var callback = await rig.Callbacks.NextAsync();

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(CallStatus.Cancelled, cancelled!.Status);
        Assert.NotNull(cancelled.FinishedAt);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("second:2", callback.CallId);
        Assert.Equal(["second:2"], seen.ToArray());
        Assert.Single(rig.Callbacks.All);
        Assert.Equal(CallStatus.Cancelled, (await rig.StatusAsync("first:1"))!.Status);
        await rig.WaitForStatusAsync("second:2", s => s.Status == CallStatus.Succeeded);
    }

    [Fact]
    public async Task Cancel_RunningOrFinishedIs409_UnknownIs404_BadIdIs400()
    {
        await using var rig = await AsyncRig.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await rig.AddFunctionAsync("busy", async (c, _) =>
        {
            await release.Task;
            await c.Response.WriteAsync("done");
        });
        using var response = await rig.EnqueueAsync("busy", callId: "busy-1");
        await rig.WaitForStatusAsync("busy-1", s => s.Status == CallStatus.Running);

        using var whileRunning = await rig.Gateway.Client.DeleteAsync("/async-function/busy-1");
        release.SetResult();
        await rig.Callbacks.NextAsync();
        await rig.WaitForStatusAsync("busy-1", s => s.Status == CallStatus.Succeeded);
        using var afterwards = await rig.Gateway.Client.DeleteAsync("/async-function/busy-1");
        using var unknown = await rig.Gateway.Client.DeleteAsync("/async-function/nobody");
        using var bad = await rig.Gateway.Client.DeleteAsync("/async-function/bad%20id");

        Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
        Assert.Contains("call 'busy-1' is running", await whileRunning.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, afterwards.StatusCode);
        Assert.Contains("is succeeded", await afterwards.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(CallStatus.Succeeded, (await rig.StatusAsync("busy-1"))!.Status);
    }
}
