namespace Faas.Kubernetes.Tests.Config;

public sealed class FileTokenSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("faas-token-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task RotatedToken_IsPickedUpWhenTheFileChanges()
    {
        var path = Path.Combine(_folder, "token");
        File.WriteAllText(path, "first-token");
        File.SetLastWriteTimeUtc(path, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var source = new FileTokenSource(path, new ManualTime());

        Assert.Equal("first-token", await source.GetTokenAsync());

        // The kubelet swaps in a new token file: a new write time.
        File.WriteAllText(path, "second-token-longer");
        File.SetLastWriteTimeUtc(path, new DateTime(2026, 1, 1, 1, 0, 0, DateTimeKind.Utc));

        Assert.Equal("second-token-longer", await source.GetTokenAsync());
    }

    [Fact]
    public async Task SameWriteTimeAndSize_IsRereadAfterMaxAge()
    {
        var path = Path.Combine(_folder, "token");
        var stamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.WriteAllText(path, "token-aaaa");
        File.SetLastWriteTimeUtc(path, stamp);
        var time = new ManualTime();
        var source = new FileTokenSource(path, time);
        Assert.Equal("token-aaaa", await source.GetTokenAsync());

        // Same size and write time: indistinguishable by stat, so the cached token stands until MaxAge passes.
        File.WriteAllText(path, "token-bbbb");
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.Equal("token-aaaa", await source.GetTokenAsync());

        time.Advance(FileTokenSource.MaxAge + TimeSpan.FromSeconds(1));
        Assert.Equal("token-bbbb", await source.GetTokenAsync());
    }

    [Fact]
    public async Task Invalidate_ForcesARead()
    {
        var path = Path.Combine(_folder, "token");
        var stamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.WriteAllText(path, "token-aaaa");
        File.SetLastWriteTimeUtc(path, stamp);
        var source = new FileTokenSource(path, new ManualTime());
        Assert.Equal("token-aaaa", await source.GetTokenAsync());
        File.WriteAllText(path, "token-cccc");
        File.SetLastWriteTimeUtc(path, stamp);

        source.Invalidate();

        Assert.Equal("token-cccc", await source.GetTokenAsync());
    }

    [Fact]
    public async Task MissingFile_IsUnauthorizedWithThePath()
    {
        var source = new FileTokenSource(Path.Combine(_folder, "absent"));

        var error = await Assert.ThrowsAsync<KubernetesUnauthorizedException>(async () => await source.GetTokenAsync());

        Assert.Contains("absent", error.Message);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
