using System.Net;
using System.Text;
using Faas.Controller.Autoscaling;
using Faas.Controller.Tests.Fakes;

namespace Faas.Controller.Tests.Autoscaling;

public sealed class ScalingSpecTests
{
    [Fact]
    public void NoLabels_GiveTheOpenFaasProDefaults()
    {
        var spec = ScalingSpec.TryParse(null, out var error)!;

        Assert.Null(error);
        Assert.Equal((1, 20, 50.0, 0.9, ScalingType.Rps, false), (spec.Min, spec.Max, spec.Target, spec.TargetProportion, spec.Type, spec.Zero));
        Assert.Equal(TimeSpan.FromMinutes(15), spec.ZeroDuration);
        Assert.Equal(TimeSpan.FromSeconds(60), spec.StableWindow);
        Assert.Equal(TimeSpan.FromSeconds(6), spec.PanicWindow);
        Assert.Equal(2.0, spec.PanicThreshold);
        Assert.Equal(TimeSpan.Zero, spec.ScaleDownDelay);
        Assert.Null(spec.PauseDuration);
        Assert.False(spec.IsStatic);
    }

    [Fact]
    public void AllLabels_AreRead()
    {
        var spec = ScalingSpec.TryParse(new Dictionary<string, string>
        {
            ["com.openfaas.scale.min"] = "0",
            ["com.openfaas.scale.max"] = "7",
            ["com.openfaas.scale.target"] = "10",
            ["com.openfaas.scale.target-proportion"] = "0.5",
            ["com.openfaas.scale.type"] = "capacity",
            ["com.openfaas.scale.zero"] = "true",
            ["com.openfaas.scale.zero-duration"] = "5m",
            ["com.openfaas.scale.down.window"] = "2m",
            ["com.openfaas.scale.panic.window"] = "10s",
            ["com.openfaas.scale.panic.threshold"] = "3",
            ["com.openfaas.scale.down.delay"] = "30s",
            ["com.openfaas.scale.pause-duration"] = "1m",
        }, out var error)!;

        Assert.Null(error);
        Assert.Equal((0, 7, 10.0, 0.5, ScalingType.Capacity, true), (spec.Min, spec.Max, spec.Target, spec.TargetProportion, spec.Type, spec.Zero));
        Assert.Equal(TimeSpan.FromMinutes(5), spec.ZeroDuration);
        Assert.Equal(TimeSpan.FromMinutes(2), spec.StableWindow);
        Assert.Equal(TimeSpan.FromSeconds(10), spec.PanicWindow);
        Assert.Equal(3.0, spec.PanicThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), spec.ScaleDownDelay);
        Assert.Equal(5.0, spec.LoadPerReplica);
        Assert.Equal(TimeSpan.FromMinutes(1), spec.PauseDuration);
    }

    [Fact]
    public void PauseDuration_NotShorterThanZeroDuration_IsRejected()
    {
        var labels = new Dictionary<string, string>
        {
            ["com.openfaas.scale.zero"] = "true",
            ["com.openfaas.scale.zero-duration"] = "1m",
            ["com.openfaas.scale.pause-duration"] = "1m",
        };

        Assert.Null(ScalingSpec.TryParse(labels, out var error));
        Assert.Contains("com.openfaas.scale.pause-duration (1m0s) is not shorter than com.openfaas.scale.zero-duration (1m0s)", error);

        // Without scale to zero the warm tier may be as long as wanted.
        labels["com.openfaas.scale.zero"] = "false";
        Assert.Equal(TimeSpan.FromMinutes(1), ScalingSpec.TryParse(labels, out _)!.PauseDuration);
    }

    [Fact]
    public void MinAboveTheDefaultMax_RaisesTheDefaultMax()
    {
        var spec = ScalingSpec.TryParse(new Dictionary<string, string> { ["com.openfaas.scale.min"] = "30" }, out _)!;

        Assert.Equal(30, spec.Max);
        Assert.True(spec.IsStatic);
    }

    [Theory]
    [InlineData("com.openfaas.scale.target", "0")]
    [InlineData("com.openfaas.scale.target", "lots")]
    [InlineData("com.openfaas.scale.target-proportion", "1.5")]
    [InlineData("com.openfaas.scale.type", "queue")]
    [InlineData("com.openfaas.scale.zero", "yes")]
    [InlineData("com.openfaas.scale.zero-duration", "soon")]
    [InlineData("com.openfaas.scale.down.window", "10m")]
    [InlineData("com.openfaas.scale.panic.window", "2m")]
    [InlineData("com.openfaas.scale.panic.threshold", "1")]
    [InlineData("com.openfaas.scale.down.delay", "-1s")]
    [InlineData("com.openfaas.scale.max", "0")]
    [InlineData("com.openfaas.scale.min", "101")]
    [InlineData("com.openfaas.scale.pause-duration", "0s")]
    [InlineData("com.openfaas.scale.pause-duration", "later")]
    public void InvalidLabel_IsRejected_NamingLabelAndValue(string label, string value)
    {
        var spec = ScalingSpec.TryParse(new Dictionary<string, string> { [label] = value }, out var error);

        Assert.Null(spec);
        Assert.Contains($"label {label} '{value}' is invalid", error);
    }

    [Fact]
    public async Task Deploy_WithAnInvalidScalingLabel_Is400NamingTheLabel()
    {
        await using var host = await ControllerHost.StartAsync();
        host.CreateArtifact("scaled:1");
        using var content = new StringContent(
            """{"service":"scaled","image":"scaled:1","labels":{"com.openfaas.scale.type":"magic"}}""", Encoding.UTF8, "application/json");

        using var response = await host.Client.PostAsync("/system/functions", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("com.openfaas.scale.type 'magic'", await response.Content.ReadAsStringAsync());
    }
}
