using System.CommandLine;
using System.Net;
using Faas.Cli.Config;
using Faas.Cli.Gateway;
using Faas.Contracts.Time;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli login</c>: checks the credentials with GET /system/functions and stores them in the
/// OpenFaaS config file (<c>~/.openfaas/config.yml</c>, or <c>$OPENFAAS_CONFIG</c>) for that gateway.
/// </summary>
public sealed class LoginCommand : BaseCommand
{
    private static readonly Option<string> UsernameOption = new("--username", "-u")
    {
        Description = "Gateway username",
        DefaultValueFactory = _ => "admin",
    };

    private static readonly Option<string?> PasswordOption = new("--password", "-p") { Description = "Gateway password (prefer --password-stdin)" };

    private static readonly Option<bool> PasswordStdinOption = new("--password-stdin", "-s") { Description = "Read the password from stdin" };

    private static readonly Option<string> TimeoutOption = new("--timeout")
    {
        Description = "How long to wait for the gateway (Go duration)",
        DefaultValueFactory = _ => "5s",
    };

    public LoginCommand(CliContext context)
        : base("login", "Log in to a gateway and store the credentials", context)
    {
        Options.Add(UsernameOption);
        Options.Add(PasswordOption);
        Options.Add(PasswordStdinOption);
        Options.Add(TimeoutOption);
        Options.Add(CommonOptions.Gateway);
        Options.Add(CommonOptions.TlsNoVerify);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var username = parseResult.GetValue(UsernameOption)!.Trim();
        var password = parseResult.GetValue(PasswordOption);
        var fromStdin = parseResult.GetValue(PasswordStdinOption);
        if (!string.IsNullOrEmpty(password) && fromStdin)
        {
            throw new UsageException("--password and --password-stdin are mutually exclusive");
        }

        if (fromStdin)
        {
            using var reader = new StreamReader(Context.Stdin);
            password = (await reader.ReadToEndAsync(cancellationToken)).Trim();
        }
        else if (!string.IsNullOrEmpty(password))
        {
            await Err.WriteLineAsync("WARNING! Using --password is insecure, consider using: cat ~/faas_pass.txt | faas-cli login -u user --password-stdin");
        }

        if (string.IsNullOrEmpty(username))
        {
            throw new UsageException("must provide --username or -u");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException("must provide a non-empty password via --password or --password-stdin");
        }

        var timeoutText = parseResult.GetValue(TimeoutOption);
        if (!GoDuration.TryParse(timeoutText, out var timeout) || timeout <= TimeSpan.Zero)
        {
            throw new UsageException($"--timeout '{timeoutText}' is not a positive duration (e.g. 5s)");
        }

        var gateway = GatewayUrl.Resolve(parseResult.GetValue(CommonOptions.Gateway), Context, null);
        await Out.WriteLineAsync("Calling the OpenFaaS server to validate the credentials...");
        using (var client = new GatewayClient(GatewayClient.CreateHttpClient(Context, parseResult.GetValue(CommonOptions.TlsNoVerify)), gateway, auth: null, timeout))
        {
            var status = await client.CheckBasicAuthAsync(username, password, cancellationToken);
            if (status == HttpStatusCode.Unauthorized)
            {
                throw new CommandFailedException("unable to login, either username or password is incorrect");
            }

            if ((int)status is < 200 or > 299)
            {
                throw new GatewayException($"Server returned unexpected status code: {(int)status} - while validating the credentials on {gateway}", (int)status);
            }
        }

        var path = ConfigFile.PathFor(Context);
        var config = ConfigFile.Load(path);
        config.Upsert(new AuthConfig { Gateway = gateway, Auth = ConfigFile.BasicAuth, Token = ConfigFile.EncodeBasic(username, password) });
        config.Save(path);
        await Out.WriteLineAsync($"credentials saved for {username} {gateway}");
        return ExitCodes.Success;
    }
}
