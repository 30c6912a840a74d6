using Faas.Cli.Build;

namespace Faas.Cli.Tests.Push;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("fn", null)]
    [InlineData("fn:latest", null)]
    [InlineData("org/fn:1", null)]
    [InlineData("registry.example.com/fn:1", "registry.example.com")]
    [InlineData("127.0.0.1:5000/org/fn", "127.0.0.1:5000")]
    [InlineData("registry:5000/fn", "registry:5000")]
    [InlineData("localhost/fn", "localhost")]
    [InlineData("ghcr.io/org/fn@sha256:abc", "ghcr.io")]
    public void RegistryOf_FollowsDockersRule(string image, string? registry) =>
        Assert.Equal(registry, ImageReference.RegistryOf(image));

    [Theory]
    [InlineData("registry.example.com/fn:1.2", "registry.example.com/fn", "1.2")]
    [InlineData("127.0.0.1:5000/org/fn", "127.0.0.1:5000/org/fn", "latest")]
    [InlineData("fn", "fn", "latest")]
    [InlineData("r.io/fn@sha256:abc", "r.io/fn@sha256:abc", null)]
    public void SplitTag_SeparatesTheTagNotTheRegistryPort(string image, string repository, string? tag) =>
        Assert.Equal((repository, tag), ImageReference.SplitTag(image));
}
