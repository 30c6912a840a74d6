using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary>Options shared by several commands, with faas-cli's names and defaults.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Gateway = new("--gateway", "-g")
    {
        Description = "Gateway URL starting with http(s):// (default: the stack file's provider.gateway, then $OPENFAAS_URL, then http://127.0.0.1:8080)",
    };

    public static readonly Option<string?> Token = new("--token", "-k")
    {
        Description = "Pass a bearer token instead of the basic auth stored by 'faas-cli login'",
    };

    public static readonly Option<bool> TlsNoVerify = new("--tls-no-verify")
    {
        Description = "Disable TLS certificate validation",
    };

    public static readonly Option<string?> Namespace = new("--namespace", "-n")
    {
        Description = "Namespace of the function",
    };

    public static readonly Option<string?> Yaml = new("--yaml", "-f")
    {
        Description = "Path to the stack file (default: stack.yml, then stack.yaml)",
    };

    public static readonly Option<string?> Filter = new("--filter")
    {
        Description = "Only the functions whose name matches this wildcard (*, ?)",
    };

    public static readonly Option<string?> Regex = new("--regex")
    {
        Description = "Only the functions whose name matches this regular expression",
    };

    public static readonly Option<bool> Envsubst = new("--envsubst")
    {
        Description = "Substitute ${VAR} and ${VAR:-default} in the stack file from the environment",
        DefaultValueFactory = _ => true,
    };

    /// <summary>Adds the options every gateway-facing command takes.</summary>
    public static void AddGatewayOptions(Command command)
    {
        command.Options.Add(Gateway);
        command.Options.Add(Token);
        command.Options.Add(TlsNoVerify);
    }

    /// <summary>Adds -f/--yaml, --filter, --regex and --envsubst.</summary>
    public static void AddStackOptions(Command command)
    {
        command.Options.Add(Yaml);
        command.Options.Add(Filter);
        command.Options.Add(Regex);
        command.Options.Add(Envsubst);
    }
}
