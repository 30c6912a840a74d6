using Faas.Cli.Build;

namespace Faas.Cli.Tests.Build;

public sealed class SdkPackageCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("faas-sdkcache-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void EvictStale_RemovesACachedCopyWhoseHashDiffers()
    {
        var (feed, cache) = Layout();
        var package = WritePackage(feed, "Faas.Function.0.1.0.nupkg", "new bytes");
        var cached = Cache(cache, "faas.function", "0.1.0", hashOf: WritePackage(Path.Combine(_root, "old"), "old.nupkg", "old bytes"));

        var evicted = SdkPackageCache.EvictStale([feed], cache);

        Assert.Equal([cached], evicted);
        Assert.False(Directory.Exists(cached));
        Assert.True(File.Exists(package));
    }

    [Fact]
    public void EvictStale_KeepsACachedCopyOfTheSamePackage()
    {
        var (feed, cache) = Layout();
        var package = WritePackage(feed, "Faas.Function.0.1.0.nupkg", "same bytes");
        var cached = Cache(cache, "faas.function", "0.1.0", hashOf: package);

        var evicted = SdkPackageCache.EvictStale([feed], cache);

        Assert.Empty(evicted);
        Assert.True(Directory.Exists(cached));
    }

    [Fact]
    public void EvictStale_IgnoresPackagesThatAreNotCached()
    {
        var (feed, cache) = Layout();
        WritePackage(feed, "Faas.Function.0.1.0.nupkg", "bytes");
        Cache(cache, "faas.function", "0.0.9", hashOf: null);

        Assert.Empty(SdkPackageCache.EvictStale([feed], cache));
    }

    private (string Feed, string Cache) Layout()
    {
        var feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        var cache = Directory.CreateDirectory(Path.Combine(_root, "cache")).FullName;
        return (feed, cache);
    }

    private static string WritePackage(string folder, string name, string content)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Cache(string cache, string id, string version, string? hashOf)
    {
        var folder = Directory.CreateDirectory(Path.Combine(cache, id, version)).FullName;
        if (hashOf is not null)
        {
            File.WriteAllText(Path.Combine(folder, $"{id}.{version}.nupkg.sha512"), SdkPackageCache.Sha512(hashOf));
        }

        return folder;
    }
}
