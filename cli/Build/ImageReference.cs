namespace Faas.Cli.Build;

/// <summary>Splits image references the way docker does, for push.</summary>
public static class ImageReference
{
    /// <summary>
    /// The registry host an image names, or null for an image without one (Docker Hub style names such
    /// as <c>fn</c> or <c>org/fn</c>): the first path component counts as a registry when it contains
    /// '.' or ':' or is <c>localhost</c>, as in docker.
    /// </summary>
    public static string? RegistryOf(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return null;
        }

        var first = image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : null;
    }

    /// <summary>
    /// Repository and tag: the tag follows the last ':' after the last '/'; <c>latest</c> when there is
    /// none (as docker push does). A digest reference (<c>@sha256:...</c>) keeps its digest and no tag.
    /// </summary>
    public static (string Repository, string? Tag) SplitTag(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return (image, null);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
