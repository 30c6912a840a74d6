namespace Faas.Cli.Templates;

/// <summary>Recursive folder copy that leaves out build output (bin/, obj/).</summary>
public static class FolderCopy
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj" };

    public static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var dir in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(dir);
            if (!Skipped.Contains(name))
            {
                Copy(dir, Path.Combine(target, name));
            }
        }
    }
}
