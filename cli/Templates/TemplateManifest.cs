using YamlDotNet.Serialization;

namespace Faas.Cli.Templates;

/// <summary><c>template/&lt;lang&gt;/template.yml</c>, the keys faas-cli reads.</summary>
public sealed class TemplateManifest
{
    [YamlMember(Alias = "language")]
    public string? Language { get; set; }

    [YamlMember(Alias = "fprocess")]
    public string? FProcess { get; set; }

    [YamlMember(Alias = "welcome_message")]
    public string? WelcomeMessage { get; set; }

    /// <summary>Folder inside the template holding the handler skeleton; <c>function</c> when empty.</summary>
    [YamlMember(Alias = "handler_folder")]
    public string? HandlerFolder { get; set; }
}
