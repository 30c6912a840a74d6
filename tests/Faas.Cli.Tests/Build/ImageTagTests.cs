using System.Diagnostics;
using Faas.Cli.Build;

namespace Faas.Cli.Tests.Build;

public class ImageTagTests
{
    [Theory]
    [InlineData("fn", null)]
    [InlineData("fn:1.0", "latest")]
    public void Latest_KeepsTheImage(string image, string? mode) =>
        Assert.Equal(image, ImageTag.Apply(image, mode, Path.GetTempPath()));

    [Fact]
    public void UnknownMode_IsAUsageError() =>
        Assert.Throws<UsageException>(() => ImageTag.Apply("fn", "digest", Path.GetTempPath()));

    [Fact]
    public void Sha_AppendsTheCommitToTheTag()
    {
        var dir = Path.Combine(Path.GetTempPath(), "faas-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Git(dir, "init", "-q");
            File.WriteAllText(Path.Combine(dir, "f"), "x");
            Git(dir, "add", "f");
            Git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "init");
            var sha = Git(dir, "rev-parse", "--short", "HEAD");

            Assert.Equal($"me/fn:1.0-{sha}", ImageTag.Apply("me/fn:1.0", "sha", dir));
            Assert.Equal($"localhost:5000/fn:latest-{sha}", ImageTag.Apply("localhost:5000/fn", "sha", dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Git(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
