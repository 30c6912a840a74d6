using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Faas.Cli.Templates;

/// <summary>
/// Finds templates the OpenFaaS way: <c>./template/&lt;lang&gt;</c> next to the stack file first, then
/// the built-in ones shipped next to faas-cli (<c>&lt;tool&gt;/templates/&lt;lang&gt;</c>).
/// </summary>
public sealed class TemplateStore
{
    public const string LocalFolder = "template";
    public const string PackagesFolder = "packages";

    private static readonly IDeserializer Deserializer = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    private readonly string _projectDirectory;
    private readonly string _toolDirectory;

    public TemplateStore(string projectDirectory, string toolDirectory)
    {
        _projectDirectory = projectDirectory;
        _toolDirectory = toolDirectory;
    }

    public string LocalRoot => Path.Combine(_projectDirectory, LocalFolder);

    public string BuiltInRoot => Path.Combine(_toolDirectory, "templates");

    /// <summary>The local NuGet feed shipped with faas-cli (holds Faas.Function.*.nupkg).</summary>
    public string BuiltInPackages => Path.Combine(_toolDirectory, PackagesFolder);

    public Template? Find(string lang)
    {
        if (string.IsNullOrWhiteSpace(lang) || lang.IndexOfAny(['/', '\\']) >= 0 || lang.StartsWith('.'))
        {
            return null;
        }

        return TryLoad(Path.Combine(LocalRoot, lang), lang, builtIn: false)
            ?? TryLoad(Path.Combine(BuiltInRoot, lang), lang, builtIn: true);
    }

    public IReadOnlyList<Template> List()
    {
        var found = new SortedDictionary<string, Template>(StringComparer.Ordinal);
        foreach (var (root, builtIn) in new[] { (LocalRoot, false), (BuiltInRoot, true) })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var dir in Directory.GetDirectories(root))
            {
                var lang = Path.GetFileName(dir);
                if (!found.ContainsKey(lang) && TryLoad(dir, lang, builtIn) is { } template)
                {
                    found[lang] = template;
                }
            }
        }

        return [.. found.Values];
    }

    /// <summary>
    /// Copies a built-in template to <c>./template/&lt;lang&gt;</c> (as faas-cli pulls templates into
    /// the project) and puts the Faas.Function packages into its <c>packages/</c> feed.
    /// Returns the local template.
    /// </summary>
    public Template EnsureLocal(Template template)
    {
        var local = Path.Combine(LocalRoot, template.Language);
        if (template.BuiltIn && !Directory.Exists(local))
        {
            FolderCopy.Copy(template.Directory, local);
        }

        var packages = Path.Combine(local, PackagesFolder);
        // Only .NET templates restore Faas.Function; a pulled template for another language gets no feed.
        var isDotnet = template.BuiltIn || Directory.EnumerateFiles(local, "*.csproj", SearchOption.AllDirectories).Any();
        if (isDotnet && Directory.Exists(BuiltInPackages))
        {
            foreach (var package in Directory.GetFiles(BuiltInPackages, "*.nupkg"))
            {
                var target = Path.Combine(packages, Path.GetFileName(package));
                // Compared by content: a rebuilt SDK package keeps its version and often its size.
                if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(File.ReadAllBytes(package)))
                {
                    Directory.CreateDirectory(packages);
                    File.Copy(package, target, overwrite: true);
                }
            }
        }

        return TryLoad(local, template.Language, builtIn: false) ?? template;
    }

    /// <summary>Folders that hold <c>*.nupkg</c> feeds for restore: the project's template feed, then the tool's.</summary>
    public IReadOnlyList<string> PackageFeeds(string? lang)
    {
        var feeds = new List<string>();
        if (!string.IsNullOrEmpty(lang))
        {
            feeds.Add(Path.Combine(LocalRoot, lang, PackagesFolder));
        }

        feeds.Add(BuiltInPackages);
        return feeds.Where(dir => Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.nupkg").Any()).ToList();
    }

    private static Template? TryLoad(string directory, string lang, bool builtIn)
    {
        var manifestPath = Path.Combine(directory, "template.yml");
        if (!File.Exists(manifestPath))
        {
            return null;
        }

        TemplateManifest manifest;
        try
        {
            manifest = Deserializer.Deserialize<TemplateManifest?>(File.ReadAllText(manifestPath)) ?? new TemplateManifest();
        }
        catch (YamlException ex)
        {
            throw new CommandFailedException($"invalid template {manifestPath}:{ex.Start.Line}: {ex.Message}", ex);
        }

        return new Template(lang, directory, manifest, builtIn);
    }
}
