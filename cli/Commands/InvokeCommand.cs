using System.CommandLine;
using System.Net;
using System.Text;
using Faas.Cli.Gateway;
using Faas.Contracts;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli invoke NAME</c>: the body comes from stdin when it is redirected, the response body
/// goes to stdout; a non-2xx status is reported on stderr with exit code 1.
/// </summary>
public sealed class InvokeCommand : BaseCommand
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    private static readonly Argument<string> NameArgument = new("NAME") { Description = "Function to call: name or name.namespace" };

    private static readonly Option<string> ContentTypeOption = new("--content-type")
    {
        Description = "Content-Type of the request body",
        DefaultValueFactory = _ => "text/plain",
    };

    private static readonly Option<string[]> QueryOption = new("--query") { Description = "Query parameter KEY=VALUE (repeatable)" };

    private static readonly Option<string[]> HeaderOption = new("--header", "-H") { Description = "Request header KEY=VALUE (repeatable)" };

    private static readonly Option<string> MethodOption = new("--method", "-m")
    {
        Description = "HTTP method: GET, POST, PUT, PATCH or DELETE",
        DefaultValueFactory = _ => "POST",
    };

    private static readonly Option<bool> AsyncOption = new("--async", "-a") { Description = "Invoke asynchronously (queued; answers 202)" };

    public InvokeCommand(CliContext context)
        : base("invoke", "Invoke a function, reading the request body from stdin", context)
    {
        Arguments.Add(NameArgument);
        Options.Add(ContentTypeOption);
        Options.Add(QueryOption);
        Options.Add(HeaderOption);
        Options.Add(MethodOption);
        Options.Add(AsyncOption);
        Options.Add(CommonOptions.Namespace);
        CommonOptions.AddGatewayOptions(this);
        Options.Add(CommonOptions.Yaml);
        Options.Add(CommonOptions.Envsubst);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var method = parseResult.GetValue(MethodOption)!.ToUpperInvariant();
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            throw new UsageException($"the HTTP method '{method}' is not supported: use one of {string.Join(", ", Methods)}");
        }

        var name = parseResult.GetValue(NameArgument)!;
        var @namespace = parseResult.GetValue(CommonOptions.Namespace);
        var function = name.Contains('.', StringComparison.Ordinal) ? name : Qualify(name, @namespace);
        var query = ParsePairList(parseResult.GetValue(QueryOption), "--query");
        var headers = ParsePairList(parseResult.GetValue(HeaderOption), "--header");

        byte[]? body = null;
        if (Context.StdinRedirected)
        {
            using var buffer = new MemoryStream();
            await Context.Stdin.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }
        else if (method != "GET")
        {
            body = [];
        }

        var gateway = ResolveGateway(parseResult);
        using var client = CreateClient(parseResult, gateway);
        var isAsync = parseResult.GetValue(AsyncOption);
        using var response = await client.InvokeAsync(
            new InvokeRequest(function)
            {
                Method = method,
                Async = isAsync,
                ContentType = parseResult.GetValue(ContentTypeOption)!,
                Body = body,
                Query = query,
                Headers = headers,
            },
            cancellationToken);

        if (isAsync && response.StatusCode == HttpStatusCode.Accepted)
        {
            await Err.WriteLineAsync("Function submitted asynchronously.");
            if (response.Headers.TryGetValues(Headers.CallId, out var ids))
            {
                await Err.WriteLineAsync($"{Headers.CallId}: {string.Join(", ", ids)}");
            }

            return ExitCodes.Success;
        }

        if (!response.IsSuccessStatusCode)
        {
            var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
            await Err.WriteLineAsync($"Server returned unexpected status code: {(int)response.StatusCode} - {text}");
            return ExitCodes.Failure;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (Context.OutStream is { } raw)
        {
            await Out.FlushAsync(cancellationToken);
            await stream.CopyToAsync(raw, cancellationToken);
            await raw.FlushAsync(cancellationToken);
        }
        else
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await Out.WriteAsync(await reader.ReadToEndAsync(cancellationToken));
        }

        return ExitCodes.Success;
    }
}
