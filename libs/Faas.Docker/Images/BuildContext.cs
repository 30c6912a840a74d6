using System.Formats.Tar;

namespace Faas.Docker;

/// <summary>Builds the tar archives <c>POST /build</c> and <c>POST /images/create</c> take as bodies.</summary>
public static class BuildContext
{
    /// <summary>
    /// Archives the contents of <paramref name="directory"/> (not the folder itself) into a seekable
    /// stream positioned at 0, keeping symbolic links as links. There is no <c>.dockerignore</c> support.
    /// </summary>
    public static async Task<MemoryStream> FromDirectoryAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The build context folder '{directory}' does not exist.");
        }

        var archive = new MemoryStream();
        await TarFile.CreateFromDirectoryAsync(directory, archive, includeBaseDirectory: false, cancellationToken).ConfigureAwait(false);
        archive.Position = 0;
        return archive;
    }

    /// <summary>
    /// Archives in-memory files (path inside the archive to content), e.g. a generated Dockerfile plus
    /// sources. Folders are implied by the paths.
    /// </summary>
    public static async Task<MemoryStream> FromFilesAsync(IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var archive = new MemoryStream();
        var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path.TrimStart('/'))
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(content, writable: false),
                };
                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }

        archive.Position = 0;
        return archive;
    }
}
