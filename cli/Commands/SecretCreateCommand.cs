using System.CommandLine;
using System.Net;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli secret create NAME</c>: POST /system/secrets (with <c>--replace</c>, PUT when it exists).</summary>
public sealed class SecretCreateCommand : BaseCommand
{
    private static readonly Option<bool> ReplaceOption = new("--replace") { Description = "Update the secret when it exists already" };

    public SecretCreateCommand(CliContext context)
        : base("create", "Create a secret", context)
    {
        SecretValueOptions.AddTo(this);
        Options.Add(ReplaceOption);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var secret = await SecretValueOptions.ReadAsync(parseResult, Context, cancellationToken);
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        await Out.WriteLineAsync($"Creating secret: {Qualify(secret.Name, secret.Namespace)}");
        var status = await client.CreateSecretAsync(secret, cancellationToken);
        if (status == HttpStatusCode.Conflict)
        {
            if (!parseResult.GetValue(ReplaceOption))
            {
                await Err.WriteLineAsync($"secret with the name \"{secret.Name}\" already exists: use 'faas-cli secret update' or --replace");
                return ExitCodes.Failure;
            }

            status = await client.UpdateSecretAsync(secret, cancellationToken);
            await Out.WriteLineAsync($"Replaced: {(int)status} {status}");
            return ExitCodes.Success;
        }

        await Out.WriteLineAsync($"Created: {(int)status} {status}");
        return ExitCodes.Success;
    }
}
