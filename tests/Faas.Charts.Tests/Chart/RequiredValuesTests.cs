using Faas.Charts.Tests.Rendering;

namespace Faas.Charts.Tests.Chart;

/// <summary>A missing required value stops rendering with a message naming the value.</summary>
public sealed class RequiredValuesTests
{
    [Theory]
    [InlineData("functionNamespace.name=", "functionNamespace.name is required: the namespace functions run in, e.g. openfaas-fn")]
    [InlineData("basicAuth.user=", "basicAuth.user is required when basicAuth.enabled is true")]
    [InlineData("controller.image.repository=", "image repository is required")]
    [InlineData("nats.image.tag=", "nats.image.tag and prometheus.image.tag are required")]
    public async Task MissingRequiredValue_FailsWithAClearMessage(string set, string message)
    {
        var result = await ChartRenderer.RenderRawAsync("--set", set);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }
}
