using System.CommandLine;
using System.Text;
using Faas.Contracts.Secrets;

namespace Faas.Cli.Commands;

/// <summary>Where create and update take the value from: <c>--from-literal</c>, <c>--from-file</c>, or stdin.</summary>
public static class SecretValueOptions
{
    public static readonly Argument<string> Name = new("NAME") { Description = "Name of the secret (lower-case letters, digits and '-')" };

    public static readonly Option<string?> FromLiteral = new("--from-literal")
    {
        Description = "The value, given on the command line (visible in shell history: prefer --from-file or stdin)",
    };

    public static readonly Option<string?> FromFile = new("--from-file")
    {
        Description = "Read the value from this file, sent byte for byte",
    };

    public static readonly Option<bool> Trim = new("--trim")
    {
        Description = "Trim whitespace from a literal or stdin value (not from --from-file)",
        DefaultValueFactory = _ => true,
    };

    public static void AddTo(Command command)
    {
        command.Arguments.Add(Name);
        command.Options.Add(FromLiteral);
        command.Options.Add(FromFile);
        command.Options.Add(Trim);
        command.Options.Add(CommonOptions.Namespace);
        CommonOptions.AddGatewayOptions(command);
    }

    /// <summary>The request body: <c>rawValue</c> for a file (exact bytes), <c>value</c> otherwise.</summary>
    public static async Task<Secret> ReadAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(Name)!;
        var ns = parseResult.GetValue(CommonOptions.Namespace);
        var literal = parseResult.GetValue(FromLiteral);
        var file = parseResult.GetValue(FromFile);
        var trim = parseResult.GetValue(Trim);
        if (literal is not null && file is not null)
        {
            throw new UsageException("give the value with one of --from-literal or --from-file, not both");
        }

        Secret secret;
        if (file is not null)
        {
            var path = context.ResolvePath(file);
            if (!File.Exists(path))
            {
                throw new CommandFailedException($"--from-file '{file}': no such file ({path})");
            }

            secret = new Secret { Name = name, Namespace = NullIfEmpty(ns), RawValue = await File.ReadAllBytesAsync(path, cancellationToken) };
        }
        else
        {
            string text;
            if (literal is not null)
            {
                text = literal;
            }
            else if (context.StdinRedirected)
            {
                using var reader = new StreamReader(context.Stdin, Encoding.UTF8, leaveOpen: true);
                text = await reader.ReadToEndAsync(cancellationToken);
            }
            else
            {
                throw new UsageException("give the secret value with --from-literal, --from-file, or on stdin (e.g. echo -n value | faas-cli secret create NAME)");
            }

            secret = new Secret { Name = name, Namespace = NullIfEmpty(ns), Value = trim ? text.Trim() : text };
        }

        if ((secret.RawValue?.Length ?? 0) == 0 && string.IsNullOrEmpty(secret.Value))
        {
            throw new UsageException($"the value of secret '{name}' is empty: secrets must have a value");
        }

        return secret;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
