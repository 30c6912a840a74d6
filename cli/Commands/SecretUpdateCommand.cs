using System.CommandLine;
using System.Net;

namespace Faas.Cli.Commands;

/// <summary><c>faas-cli secret update NAME</c> (<c>u</c>): PUT /system/secrets; functions that use it see the new value.</summary>
public sealed class SecretUpdateCommand : BaseCommand
{
    public SecretUpdateCommand(CliContext context)
        : base("update", "Update a secret's value; functions that use it read the new value", context)
    {
        Aliases.Add("u");
        SecretValueOptions.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var secret = await SecretValueOptions.ReadAsync(parseResult, Context, cancellationToken);
        using var client = CreateClient(parseResult, ResolveGateway(parseResult, readStack: false));
        await Out.WriteLineAsync($"Updating secret: {Qualify(secret.Name, secret.Namespace)}");
        var status = await client.UpdateSecretAsync(secret, cancellationToken);
        if (status == HttpStatusCode.NotFound)
        {
            await Err.WriteLineAsync($"secret not found: {Qualify(secret.Name, secret.Namespace)}; create it with 'faas-cli secret create'");
            return ExitCodes.Failure;
        }

        await Out.WriteLineAsync($"Updated: {(int)status} {status}");
        return ExitCodes.Success;
    }
}
