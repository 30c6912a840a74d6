using System.Text;
using System.Text.RegularExpressions;

namespace Faas.Cli.Stack;

/// <summary>Writes stack.yml text the way <c>faas-cli new</c> lays it out.</summary>
public static partial class StackWriter
{
    [GeneratedRegex(@"^[A-Za-z0-9_./@${}-][A-Za-z0-9_./:@${}-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();

    public static string Header(string gateway) =>
        $"version: 1.0{Environment.NewLine}provider:{Environment.NewLine}  name: openfaas{Environment.NewLine}  gateway: {Scalar(gateway)}{Environment.NewLine}functions:{Environment.NewLine}";

    /// <summary>One entry under <c>functions:</c>, indented by two spaces.</summary>
    public static string Function(string name, string lang, string handler, string image, StackResources? limits = null, StackResources? requests = null)
    {
        var text = new StringBuilder();
        text.Append("  ").Append(name).AppendLine(":");
        text.Append("    lang: ").AppendLine(Scalar(lang));
        text.Append("    handler: ").AppendLine(Scalar(handler));
        text.Append("    image: ").AppendLine(Scalar(image));
        AppendResources(text, "limits", limits);
        AppendResources(text, "requests", requests);
        return text.ToString();
    }

    /// <summary>A YAML scalar: as is when it is plain and unambiguous, else single-quoted.</summary>
    public static string Scalar(string value) =>
        Plain().IsMatch(value) && !value.Contains(": ", StringComparison.Ordinal) && !value.EndsWith(':')
            ? value
            : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static void AppendResources(StringBuilder text, string key, StackResources? resources)
    {
        if (resources is null || (string.IsNullOrEmpty(resources.Memory) && string.IsNullOrEmpty(resources.Cpu)))
        {
            return;
        }

        text.Append("    ").Append(key).AppendLine(":");
        if (!string.IsNullOrEmpty(resources.Memory))
        {
            text.Append("      memory: ").AppendLine(Scalar(resources.Memory));
        }

        if (!string.IsNullOrEmpty(resources.Cpu))
        {
            text.Append("      cpu: ").AppendLine(Scalar(resources.Cpu));
        }
    }
}
