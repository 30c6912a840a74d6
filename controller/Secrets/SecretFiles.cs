using System.Text;

namespace Faas.Controller.Secrets;

/// <summary>File helpers shared by the secret store and the backends' delivery folders.</summary>
public static class SecretFiles
{
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and missing parents) with <paramref name="mode"/>, and sets it on an existing one.</summary>
    public static void EnsureDirectory(string path, UnixFileMode mode = PrivateDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, mode);
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>
    /// Replaces <paramref name="path"/> atomically: a temp file with <paramref name="mode"/> from the
    /// start (never readable by others, even briefly), flushed, then renamed over the old one. A
    /// reader sees the old or the new value, never half of one; renames inside a bind-mounted
    /// folder are visible in the container.
    /// </summary>
    public static async Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> value, UnixFileMode mode = PrivateFile, CancellationToken cancellationToken = default)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(value, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            // UnixCreateMode is filtered by the umask; set it exactly.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, mode);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp file holds no more than the store does.
        }
    }

    /// <summary>Temp files of <see cref="WriteAtomicAsync"/> start with a dot; secret names never do.</summary>
    public static bool IsSecretFile(string fileName) => fileName.Length > 0 && fileName[0] != '.';

    /// <summary>For messages: a value's size, never its content.</summary>
    public static string Describe(ReadOnlyMemory<byte> value) => value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes";

    internal static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
