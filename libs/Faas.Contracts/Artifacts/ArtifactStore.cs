namespace Faas.Contracts.Artifacts;

/// <summary>
/// Layout of the local artifact store used by the process backend: <c>faas-cli build</c> publishes
/// a handler into the folder keyed by the image name from stack.yml, and the controller resolves the
/// same image name to that folder at deploy time. The same stack.yml can later target Docker or
/// Kubernetes, where the image name means a container image instead.
/// </summary>
public static class ArtifactStore
{
    /// <summary>Environment variable (CLI) and configuration key <c>artifact_store</c> (controller) that override the default.</summary>
    public const string EnvironmentVariable = "FAAS_ARTIFACT_STORE";

    /// <summary>File written last by a build; its presence marks a complete artifact.</summary>
    public const string ManifestFileName = "faas-artifact.json";

    /// <summary><c>~/.faas/artifacts</c>, shared by faas-cli and the controller on one machine.</summary>
    public static string DefaultRoot =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".faas", "artifacts");

    /// <summary>The store root from the environment, else <see cref="DefaultRoot"/>.</summary>
    public static string ResolveRoot(string? configured = null)
    {
        var root = configured;
        if (string.IsNullOrWhiteSpace(root))
        {
            root = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }

        return Path.GetFullPath(string.IsNullOrWhiteSpace(root) ? DefaultRoot : root);
    }

    /// <summary>
    /// Folder name for an image reference: the tag defaults to <c>latest</c>, and characters that
    /// are not safe in a path become <c>_</c>, so <c>ghcr.io/me/fn:1.0</c> is <c>ghcr.io_me_fn_1.0</c>.
    /// </summary>
    public static string KeyFor(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var reference = image.Trim();
        var lastSlash = reference.LastIndexOf('/');
        if (reference.IndexOf(':', lastSlash + 1) < 0 && !reference.Contains('@'))
        {
            reference += ":latest";
        }

        var chars = reference.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    public static string PathFor(string root, string image) => Path.Combine(root, KeyFor(image));
}
