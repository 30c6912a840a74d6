using Faas.Contracts.Artifacts;

namespace Faas.Contracts.Tests.Artifacts;

public class ArtifactStoreTests
{
    [Theory]
    [InlineData("echo", "echo_latest")]
    [InlineData("echo:1.0", "echo_1.0")]
    [InlineData("ghcr.io/me/echo:v2", "ghcr.io_me_echo_v2")]
    [InlineData("localhost:5000/echo", "localhost_5000_echo_latest")]
    public void KeyFor_DefaultsTheTagAndMakesAPathSafeName(string image, string key)
    {
        Assert.Equal(key, ArtifactStore.KeyFor(image));
    }

    [Fact]
    public void ResolveRoot_PrefersTheConfiguredValue()
    {
        var root = ArtifactStore.ResolveRoot("/tmp/some-store");

        Assert.Equal("/tmp/some-store", root);
    }

    [Fact]
    public void Manifest_IsOnlyReadWhenWrittenCompletely()
    {
        var folder = Directory.CreateTempSubdirectory("faas-artifact-").FullName;
        try
        {
            Assert.Null(ArtifactManifest.TryRead(folder));

            new ArtifactManifest { Image = "echo:latest", Lang = "csharp", HandlerAssembly = "Function.dll", BuiltAt = DateTimeOffset.UnixEpoch }.Write(folder);

            var manifest = ArtifactManifest.TryRead(folder);
            Assert.NotNull(manifest);
            Assert.Equal("Function.dll", manifest.HandlerAssembly);

            File.WriteAllText(Path.Combine(folder, ArtifactStore.ManifestFileName), "{not json");
            Assert.Null(ArtifactManifest.TryRead(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
