namespace Faas.Cli.Templates;

/// <summary>A language template found on disk.</summary>
public sealed record Template(string Language, string Directory, TemplateManifest Manifest, bool BuiltIn)
{
    /// <summary>The handler skeleton copied by <c>faas-cli new</c>.</summary>
    public string FunctionDirectory =>
        Path.Combine(Directory, string.IsNullOrWhiteSpace(Manifest.HandlerFolder) ? "function" : Manifest.HandlerFolder);
}
