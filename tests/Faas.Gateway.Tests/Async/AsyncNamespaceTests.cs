using Faas.Gateway.Tests.Fakes;

namespace Faas.Gateway.Tests.Async;

/// <summary><c>/async-function/name.namespace</c>: the queue worker calls the copy in that namespace.</summary>
public sealed class AsyncNamespaceTests
{
    [Fact]
    public async Task NameDotNamespace_RunsTheCopyInThatNamespace_AndPlainNameTheDefault()
    {
        await using var rig = await AsyncRig.StartAsync();
        await using var inDefault = await LocalServer.StartAsync(app => app.Map("/{**path}", (HttpContext c) => c.Response.WriteAsync("default")));
        await using var inStaging = await LocalServer.StartAsync(app => app.Map("/{**path}", (HttpContext c) => c.Response.WriteAsync("staging")));
        rig.Controller.SetFunctions(
            FakeController.Function("twin", "openfaas-fn", ("twin-1", inDefault.Url)),
            FakeController.Function("twin", "staging", ("twin-s1", inStaging.Url)));
        await rig.Gateway.WaitForReadyAsync("twin");
        await rig.Gateway.WaitForReadyAsync("twin", 1, "staging");

        using (var staged = await rig.EnqueueAsync("twin.staging"))
        {
            Assert.Equal(HttpStatusCode.Accepted, staged.StatusCode);
        }

        var first = await rig.Callbacks.NextAsync();
        Assert.Equal("twin.staging", first.FunctionName);
        Assert.Equal("staging", first.Body);

        using (var plain = await rig.EnqueueAsync("twin"))
        {
            Assert.Equal(HttpStatusCode.Accepted, plain.StatusCode);
        }

        var second = await rig.Callbacks.NextAsync();
        Assert.Equal("twin.openfaas-fn", second.FunctionName);
        Assert.Equal("default", second.Body);
    }

    [Fact]
    public async Task UnknownNamespace_Is404_NotQueued()
    {
        await using var rig = await AsyncRig.StartAsync();
        await rig.AddFunctionAsync("only-default", (c, _) => c.Response.WriteAsync("x"));

        using var response = await rig.EnqueueAsync("only-default.elsewhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("namespace 'elsewhere'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
