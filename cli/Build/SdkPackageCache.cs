using System.Security.Cryptography;

namespace Faas.Cli.Build;

/// <summary>
/// Keeps NuGet's global packages folder from serving a stale copy of a package that this CLI
/// ships in a local feed. NuGet never re-extracts a version it already has, and our handler SDK
/// package keeps its version across rebuilds of the platform; so when the cached copy's recorded
/// hash differs from the shipped package, the cached folder is removed and restore extracts the
/// shipped one again.
/// </summary>
public static class SdkPackageCache
{
    /// <summary>NUGET_PACKAGES when set, else <c>~/.nuget/packages</c>.</summary>
    public static string GlobalPackagesFolder(CliContext context) =>
        context.Env("NUGET_PACKAGES") ?? Path.Combine(context.HomeDirectory, ".nuget", "packages");

    /// <summary>Evicts every cached package whose hash differs from the one in <paramref name="feeds"/>; returns what it evicted.</summary>
    public static IReadOnlyList<string> EvictStale(IEnumerable<string> feeds, string globalPackagesFolder)
    {
        var evicted = new List<string>();
        foreach (var feed in feeds)
        {
            foreach (var package in Directory.EnumerateFiles(feed, "*.nupkg"))
            {
                var cached = CachedFolder(package, globalPackagesFolder);
                if (cached is null)
                {
                    continue;
                }

                var hashFile = Directory.EnumerateFiles(cached, "*.nupkg.sha512").FirstOrDefault();
                if (hashFile is null || File.ReadAllText(hashFile).Trim() == Sha512(package))
                {
                    continue;
                }

                Directory.Delete(cached, recursive: true);
                evicted.Add(cached);
            }
        }

        return evicted;
    }

    /// <summary>NuGet's hash of a package file: SHA-512, base64, as written to <c>.nupkg.sha512</c>.</summary>
    public static string Sha512(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToBase64String(SHA512.HashData(stream));
    }

    // <global>/<id lower>/<version lower>/ for a file named <id>.<version>.nupkg; the id is read
    // from the cached folders because ids may contain dots.
    private static string? CachedFolder(string package, string globalPackagesFolder)
    {
        var fileName = Path.GetFileNameWithoutExtension(package).ToLowerInvariant();
        if (!Directory.Exists(globalPackagesFolder))
        {
            return null;
        }

        foreach (var idFolder in Directory.EnumerateDirectories(globalPackagesFolder))
        {
            var id = Path.GetFileName(idFolder);
            if (!fileName.StartsWith(id + ".", StringComparison.Ordinal))
            {
                continue;
            }

            var version = Path.Combine(idFolder, fileName[(id.Length + 1)..]);
            if (Directory.Exists(version))
            {
                return version;
            }
        }

        return null;
    }
}
