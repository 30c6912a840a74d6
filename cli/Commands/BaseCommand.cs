using System.CommandLine;
using Faas.Cli.Config;
using Faas.Cli.Gateway;
using Faas.Cli.Stack;

namespace Faas.Cli.Commands;

/// <summary>
/// Every faas-cli command derives from this: it owns the output writers and turns expected
/// failures (<see cref="CliException"/>, I/O errors) into a message on stderr and an exit code
/// (<see cref="ExitCodes"/>), so command bodies just do their work and throw.
/// </summary>
public abstract class BaseCommand : Command
{
    protected BaseCommand(string name, string description, CliContext context)
        : base(name, description)
    {
        Context = context;
        SetAction(RunAsync);
    }

    protected CliContext Context { get; }

    protected TextWriter Out => Context.Out;

    protected TextWriter Err => Context.Err;

    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken);

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteAsync(parseResult, cancellationToken);
        }
        catch (UsageException ex)
        {
            await Err.WriteLineAsync($"Error: {ex.Message}{Environment.NewLine}See 'faas-cli {Name} --help'.");
            return ex.ExitCode;
        }
        catch (CliException ex)
        {
            await Err.WriteLineAsync(ex.Message);
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Err.WriteLineAsync(ex.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted; // as shells report SIGINT
        }
        finally
        {
            await Out.FlushAsync(CancellationToken.None);
            await Err.FlushAsync(CancellationToken.None);
        }
    }

    /// <summary><c>KEY=VALUE</c> flag values (repeatable) as a map; later values win.</summary>
    protected static Dictionary<string, string> ParsePairs(IEnumerable<string>? values, string option)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in values ?? [])
        {
            var index = item.IndexOf('=', StringComparison.Ordinal);
            if (index <= 0)
            {
                throw new UsageException($"{option} '{item}' must be in the form KEY=VALUE");
            }

            result[item[..index]] = item[(index + 1)..];
        }

        return result;
    }

    /// <summary>As <see cref="ParsePairs"/> but keeps order and repeats (query strings, headers).</summary>
    protected static List<KeyValuePair<string, string>> ParsePairList(IEnumerable<string>? values, string option)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var item in values ?? [])
        {
            var index = item.IndexOf('=', StringComparison.Ordinal);
            if (index <= 0)
            {
                throw new UsageException($"{option} '{item}' must be in the form KEY=VALUE");
            }

            result.Add(new(item[..index], item[(index + 1)..]));
        }

        return result;
    }

    /// <summary>The gateway from the flag, the stack file (if one is present), OPENFAAS_URL, else the default (<see cref="GatewayUrl.Resolve"/>).</summary>
    protected string ResolveGateway(ParseResult parseResult, string? stackGateway = null, bool readStack = true)
    {
        var flag = parseResult.GetValue(CommonOptions.Gateway);
        if (stackGateway is null && readStack && (string.IsNullOrWhiteSpace(flag) || GatewayUrl.Normalize(flag) == GatewayUrl.Default))
        {
            stackGateway = StackLoader.TryReadGateway(parseResult.GetValue(CommonOptions.Yaml), Context.CurrentDirectory, Context.GetEnvironmentVariable, parseResult.GetValue(CommonOptions.Envsubst));
        }

        return GatewayUrl.Resolve(flag, Context, stackGateway);
    }

    protected GatewayClient CreateClient(ParseResult parseResult, string gateway, TimeSpan? timeout = null) =>
        GatewayClient.Create(Context, gateway, parseResult.GetValue(CommonOptions.Token), parseResult.GetValue(CommonOptions.TlsNoVerify), timeout);

    /// <summary><c>name</c> or <c>name.namespace</c>, as faas-cli prints function URLs.</summary>
    protected static string Qualify(string name, string? @namespace) =>
        string.IsNullOrEmpty(@namespace) ? name : $"{name}.{@namespace}";
}
