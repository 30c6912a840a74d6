namespace Faas.Docker;

internal static class DockerPath
{
    /// <summary>Escapes an id or name for a path; keeps '/' because image names such as <c>org/fn</c> span segments.</summary>
    public static string Escape(string name) => string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
}
