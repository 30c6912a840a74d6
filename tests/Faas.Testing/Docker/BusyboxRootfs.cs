using System.Formats.Tar;

namespace Faas.Testing.Docker;

/// <summary>A root filesystem tar holding the static /bin/busybox and links for the applets the tests use.</summary>
internal static class BusyboxRootfs
{
    private const string BusyboxPath = "/bin/busybox";

    private static readonly string[] Applets =
    [
        "sh", "cat", "echo", "sleep", "env", "ls", "true", "false", "printf", "id", "mkdir", "touch", "head", "wc", "test",
    ];

    public static async Task<MemoryStream> CreateAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(BusyboxPath))
        {
            throw new InvalidOperationException(
                $"{BusyboxPath} is missing; the Docker tests build their image from the static busybox. Run ./test.sh (it installs busybox-static).");
        }

        const UnixFileMode Directory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

        var archive = new MemoryStream();
        await using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var folder in new[] { "bin/", "etc/", "tmp/" })
            {
                var mode = folder == "tmp/" ? Directory | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit : Directory;
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, folder) { Mode = mode }, cancellationToken);
            }

            await using (var busybox = File.OpenRead(BusyboxPath))
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = Directory, DataStream = busybox }, cancellationToken);
            }

            foreach (var applet in Applets)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{applet}") { LinkName = "busybox", Mode = Directory }, cancellationToken);
            }

            var passwd = "root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n"u8.ToArray();
            await writer.WriteEntryAsync(
                new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd") { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, DataStream = new MemoryStream(passwd) },
                cancellationToken);
        }

        archive.Position = 0;
        return archive;
    }
}
