using Faas.Contracts.Artifacts;

namespace Faas.Controller.Backends.Process;

/// <summary>Maps a deployment's <c>image</c> to the handler assembly that <c>faas-cli build</c> put in the artifact store.</summary>
public static class ArtifactResolver
{
    /// <summary>Null with <paramref name="handlerAssembly"/> set, else a message that says what to do.</summary>
    public static string? Resolve(string storeRoot, string image, out string handlerAssembly)
    {
        handlerAssembly = "";
        var folder = ArtifactStore.PathFor(storeRoot, image);
        var manifest = ArtifactManifest.TryRead(folder);
        if (manifest is null)
        {
            return $"image '{image}' was not found in the artifact store (looked for {Path.Combine(folder, ArtifactStore.ManifestFileName)}); run 'faas-cli build' first";
        }

        var path = string.IsNullOrWhiteSpace(manifest.HandlerAssembly) ? null : Path.GetFullPath(Path.Combine(folder, manifest.HandlerAssembly));
        if (path is null || !path.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            return $"image '{image}' in the artifact store ({folder}) is incomplete: handler assembly '{manifest.HandlerAssembly}' is missing; run 'faas-cli build' again";
        }

        handlerAssembly = path;
        return null;
    }
}
