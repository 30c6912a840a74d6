using System.Net.Http.Json;
using Faas.Gateway.Async;

namespace Faas.Gateway.Tests.Async;

/// <summary>Client-chosen call ids: accepted charset, their NATS keys, and status and redrive by such ids.</summary>
public sealed class CallIdTests
{
    [Theory]
    [InlineData("order:42")]
    [InlineData("a.b")]
    [InlineData("user@example.com")]
    [InlineData("x+y=z~1,2")]
    [InlineData("b64.YS5i")]
    public void KeyFor_PunctuatedIds_AreValidKeysAndSubjectTokens(string id)
    {
        var key = CallIds.KeyFor(id);

        Assert.True(CallIds.IsValid(id));
        Assert.StartsWith("b64.", key, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$", key);
    }

    [Fact]
    public void KeyFor_GuidsAndPlainIds_AreKeptAsTheyAre_AndDistinctIdsGetDistinctKeys()
    {
        var guid = Guid.NewGuid().ToString();
        string[] ids = [guid, "order-42", "order_42", "order.42", "order:42", "b64.b3JkZXIuNDI", "ORDER-42"];

        Assert.Equal(guid, CallIds.KeyFor(guid));
        Assert.Equal("order-42", CallIds.KeyFor("order-42"));
        Assert.Equal(ids.Length, ids.Select(CallIds.KeyFor).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("50%")]
    [InlineData("é")]
    public void IsValid_RejectsEmptyPathBreakingAndNonAsciiIds(string id) => Assert.False(CallIds.IsValid(id));

    [Fact]
    public void IsValid_RejectsIdsOver128Characters()
    {
        Assert.True(CallIds.IsValid(new string('a', 128)));
        Assert.False(CallIds.IsValid(new string('a', 129)));
    }

    [Fact]
    public async Task ClientIds_StatusIsFoundByTheSameId_AndEachIdHasItsOwn()
    {
        await using var rig = await AsyncRig.StartAsync();
        await rig.AddFunctionAsync("ids", (c, _) => c.Response.WriteAsync(c.Request.Headers["X-Call-Id"].ToString()));
        string[] ids = ["order-42", "order:42", "order.42", "user@example.com"];

        foreach (var id in ids)
        {
            using var response = await rig.EnqueueAsync("ids", callId: id);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(id, response.Headers.GetValues("X-Call-Id").Single());
        }

        foreach (var id in ids)
        {
            var status = await rig.WaitForStatusAsync(id, s => s.Status == CallStatus.Succeeded);
            Assert.Equal(id, status.CallId);
            Assert.Equal("ids.openfaas-fn", status.Function);
        }

        var callbacks = Enumerable.Range(0, ids.Length).Select(_ => rig.Callbacks.NextAsync()).ToArray();
        await Task.WhenAll(callbacks);
        Assert.Equal(ids.Order(), callbacks.Select(c => c.Result.CallId).Order());
        Assert.All(callbacks, c => Assert.Equal(c.Result.CallId, c.Result.Body));
        Assert.Null(await rig.StatusAsync("order:43"));
    }

    [Fact]
    public async Task BadIds_Answer400_OnEnqueueAndStatus()
    {
        await using var rig = await AsyncRig.StartAsync();
        await rig.AddFunctionAsync("strict", (c, _) => c.Response.WriteAsync("ok"));

        using var enqueue = await rig.EnqueueAsync("strict", callId: "has space");
        using var status = await rig.Gateway.Client.GetAsync("/async-function/50%25");

        Assert.Equal(HttpStatusCode.BadRequest, enqueue.StatusCode);
        Assert.Contains("X-Call-Id 'has space' is invalid", await enqueue.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        Assert.Contains("'50%' is not a call id", await status.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PunctuatedId_DeadLetter_IsFoundAndRedrivenByItsId()
    {
        await using var rig = await AsyncRig.StartAsync(new Dictionary<string, string?> { [AsyncOptionsReader.MaxRetryAttemptsKey] = "1" });
        var fixedNow = false;
        await rig.AddFunctionAsync("fragile", (c, _) =>
        {
            c.Response.StatusCode = Volatile.Read(ref fixedNow) ? 200 : 500;
            return c.Response.WriteAsync("x");
        });
        const string id = "job:7.retry@night";

        using var response = await rig.EnqueueAsync("fragile", callId: id);
        var failed = await rig.Callbacks.NextAsync();
        await rig.WaitForStatusAsync(id, s => s.Status == CallStatus.Failed);
        var letters = await rig.Gateway.Client.GetFromJsonAsync<List<DeadLetter>>("/system/async/dead-letters");
        Volatile.Write(ref fixedNow, true);
        using var redrive = await rig.Gateway.Client.PostAsync($"/system/async/dead-letters/{id}/redrive", null);
        var again = await rig.Callbacks.NextAsync();

        Assert.Equal(500, failed.FunctionStatus);
        Assert.Equal(id, Assert.Single(letters!).CallId);
        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        Assert.Equal(id, again.CallId);
        Assert.Equal(200, again.FunctionStatus);
        await rig.WaitForStatusAsync(id, s => s.Status == CallStatus.Succeeded);
    }
}
