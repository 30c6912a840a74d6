using System.CommandLine;
using System.Globalization;
using System.Net;
using Faas.Cli.Gateway;
using Faas.Contracts.Time;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli ready [NAME]</c>: blocks until the gateway answers <c>GET /healthz</c> with 200, or
/// until the function has an available replica; gives up after <c>--attempts</c> tries
/// <c>--interval</c> apart with exit code <see cref="ExitCodes.NotReady"/>.
/// </summary>
public sealed class ReadyCommand : BaseCommand
{
    /// <summary>Bound on each probe, so a gateway that accepts and never answers cannot stall an attempt.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private static readonly Argument<string?> NameArgument = new("NAME")
    {
        Description = "Function to wait for (name or name.namespace); without it, wait for the gateway",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<int> AttemptsOption = new("--attempts")
    {
        Description = "Number of attempts before giving up",
        DefaultValueFactory = _ => 60,
    };

    private static readonly Option<string> IntervalOption = new("--interval")
    {
        Description = "Wait between attempts (Go duration, e.g. 1s, 500ms)",
        DefaultValueFactory = _ => "1s",
    };

    public ReadyCommand(CliContext context)
        : base("ready", "Block until the gateway or a function is ready for use", context)
    {
        Arguments.Add(NameArgument);
        Options.Add(CommonOptions.Namespace);
        Options.Add(AttemptsOption);
        Options.Add(IntervalOption);
        CommonOptions.AddGatewayOptions(this);
        Options.Add(CommonOptions.Yaml);
        Options.Add(CommonOptions.Envsubst);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var attempts = parseResult.GetValue(AttemptsOption);
        if (attempts < 1)
        {
            throw new UsageException("--attempts must be greater than 0");
        }

        var intervalText = parseResult.GetValue(IntervalOption);
        if (!GoDuration.TryParse(intervalText, out var interval) || interval < TimeSpan.Zero)
        {
            throw new UsageException($"--interval '{intervalText}' is not a duration (e.g. 1s, 500ms)");
        }

        var name = parseResult.GetValue(NameArgument);
        var @namespace = parseResult.GetValue(CommonOptions.Namespace);
        if (!string.IsNullOrEmpty(name) && string.IsNullOrEmpty(@namespace) && name.LastIndexOf('.') is > 0 and var dot)
        {
            // name.namespace, split on the last dot as the gateway does.
            (name, @namespace) = (name[..dot], name[(dot + 1)..]);
        }

        using var client = CreateClient(parseResult, ResolveGateway(parseResult), ProbeTimeout);
        var waited = FormatWait(interval * attempts);
        if (string.IsNullOrEmpty(name))
        {
            if (await PollAsync(attempts, interval, i => ProbeGatewayAsync(client, i, attempts, cancellationToken), cancellationToken))
            {
                await Out.WriteLineAsync("OpenFaaS gateway is ready");
                return ExitCodes.Success;
            }

            await Err.WriteLineAsync($"gateway: {client.Gateway} not ready after: {waited}");
            return ExitCodes.NotReady;
        }

        var qualified = Qualify(name, @namespace);
        if (await PollAsync(attempts, interval, i => ProbeFunctionAsync(client, name, @namespace, qualified, i, attempts, cancellationToken), cancellationToken))
        {
            await Out.WriteLineAsync($"Function {qualified} is ready");
            return ExitCodes.Success;
        }

        await Err.WriteLineAsync($"function {qualified} not ready after: {waited}");
        return ExitCodes.NotReady;
    }

    private async Task<bool> PollAsync(int attempts, TimeSpan interval, Func<int, Task<bool>> probe, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= attempts; i++)
        {
            if (await probe(i))
            {
                return true;
            }

            if (i < attempts && interval > TimeSpan.Zero)
            {
                await Task.Delay(interval, Context.Time, cancellationToken);
            }
        }

        return false;
    }

    private async Task<bool> ProbeGatewayAsync(GatewayClient client, int attempt, int attempts, CancellationToken cancellationToken)
    {
        await Out.WriteLineAsync($"[{attempt}/{attempts}] Waiting for gateway");
        try
        {
            var status = await client.CheckHealthAsync(cancellationToken);
            if (status == HttpStatusCode.OK)
            {
                return true;
            }

            await Out.WriteLineAsync($"[{attempt}/{attempts}] Gateway answered {(int)status}");
        }
        catch (GatewayException ex)
        {
            await Out.WriteLineAsync($"[{attempt}/{attempts}] Error reaching OpenFaaS gateway: {ex.Message}");
        }

        return false;
    }

    private async Task<bool> ProbeFunctionAsync(GatewayClient client, string name, string? @namespace, string qualified, int attempt, int attempts, CancellationToken cancellationToken)
    {
        await Out.WriteLineAsync($"[{attempt}/{attempts}] Waiting for function {qualified}");
        try
        {
            var function = await client.GetFunctionAsync(name, @namespace, cancellationToken);
            if (function is null)
            {
                await Out.WriteLineAsync($"[{attempt}/{attempts}] Error getting function info: No such function: {qualified}");
                return false;
            }

            return function.AvailableReplicas > 0;
        }
        catch (GatewayException ex)
        {
            await Out.WriteLineAsync($"[{attempt}/{attempts}] Error getting function info: {ex.Message}");
            return false;
        }
    }

    /// <summary>Go's rounded duration text for the message (<c>5s</c>, <c>1m0s</c>, <c>500ms</c>).</summary>
    private static string FormatWait(TimeSpan wait)
    {
        if (wait < TimeSpan.FromSeconds(1))
        {
            return ((long)wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var seconds = (long)Math.Round(wait.TotalSeconds);
        var hours = seconds / 3600;
        var minutes = seconds % 3600 / 60;
        var rest = seconds % 60;
        return hours > 0 ? $"{hours}h{minutes}m{rest}s" : minutes > 0 ? $"{minutes}m{rest}s" : $"{rest}s";
    }
}
