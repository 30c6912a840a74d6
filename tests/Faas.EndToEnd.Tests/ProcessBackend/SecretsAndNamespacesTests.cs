using System.Net;
using System.Text;
using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.ProcessBackend;

/// <summary>
/// Secrets and namespaces on the embedded default with real processes and the real faas-cli:
/// create a secret -> deploy a function that reads it -> invoke returns the value -> update it ->
/// the function sees the new value -> the same function in a second namespace with its own secret
/// is independent -> remove the functions -> remove the secrets -> listings no longer show them.
/// </summary>
public sealed class SecretsAndNamespacesTests : IAsyncLifetime
{
    private const string HandlerSource = """
        using Faas.Function;

        namespace Function;

        public sealed class Handler : IHttpFunction
        {
            public Task<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken) =>
                Task.FromResult(FunctionResponse.Text($"{context.Namespace}:{context.Secrets.Get("api-key") ?? "<none>"}"));
        }
        """;

    private Platform _platform = null!;

    public async Task InitializeAsync()
    {
        _platform = await Platform.StartAsync("secrets");
        await _platform.LoginAsync();
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task SecretReachesTheFunction_UpdatesLive_AndNamespacesStayApart()
    {
        var p = _platform;
        await RunOkAsync(["new", "keyreader", "--lang", "csharp"]);
        await File.WriteAllTextAsync(Path.Combine(p.ProjectDir, "keyreader", "Handler.cs"), HandlerSource);

        // A deploy that names a missing secret is refused with the name.
        await RunOkAsync(["build", "-f", "keyreader.yml"], TimeSpan.FromMinutes(6));
        var missing = await p.RunCliAsync(["deploy", "-f", "keyreader.yml", "--secret", "api-key"]);
        Assert.True(missing.ExitCode != 0, missing.ToString());
        Assert.Contains("unable to fetch secrets api-key", missing.Stderr + missing.Stdout);

        // create -> deploy -> invoke returns the value
        await RunOkAsync(["secret", "create", "api-key", "--from-literal", "first-value"]);
        await RunOkAsync(["deploy", "-f", "keyreader.yml", "--secret", "api-key"]);
        await p.WaitUntilAsync(async () => await InvokeAsync("keyreader") == "openfaas-fn:first-value", TimeSpan.FromSeconds(60), "the function to answer with the secret");

        // update: the running replica sees the new value (live file update)
        await RunOkAsync(["secret", "update", "api-key"], stdin: "second-value\n");
        await p.WaitUntilAsync(async () => await InvokeAsync("keyreader") == "openfaas-fn:second-value", TimeSpan.FromSeconds(30), "the updated value");

        var listed = await RunOkAsync(["secret", "list"]);
        Assert.Contains("api-key", listed.Stdout);
        Assert.DoesNotContain("second-value", listed.Stdout);

        // in use: removal refused, naming the function
        var inUse = await p.RunCliAsync(["secret", "remove", "api-key"]);
        Assert.Equal(1, inUse.ExitCode);
        Assert.Contains("keyreader", inUse.Stderr);

        // a second namespace with its own secret of the same name and the same function
        await RunOkAsync(["namespace", "create", "staging"]);
        var namespaces = await RunOkAsync(["namespace", "list", "--format", "json"]);
        Assert.Contains("\"staging\"", namespaces.Stdout);
        await RunOkAsync(["secret", "create", "api-key", "-n", "staging"], stdin: "staging-value");
        await RunOkAsync(["deploy", "-f", "keyreader.yml", "--secret", "api-key", "-n", "staging"]);
        await p.WaitUntilAsync(async () => await InvokeAsync("keyreader.staging") == "staging:staging-value", TimeSpan.FromSeconds(60), "the staging copy to answer");
        Assert.Equal("openfaas-fn:second-value", await InvokeAsync("keyreader"));
        var stagingList = await RunOkAsync(["list", "-n", "staging"]);
        Assert.Contains("keyreader", stagingList.Stdout);

        // removing the default copy leaves the staging one serving
        await RunOkAsync(["remove", "keyreader"]);
        await p.WaitUntilAsync(async () => await StatusAsync("keyreader") == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30), "404 for the default copy");
        Assert.Equal("staging:staging-value", await InvokeAsync("keyreader.staging"));

        // the secrets go; the listings no longer show them
        await RunOkAsync(["secret", "remove", "api-key"]);
        var afterRemove = await RunOkAsync(["secret", "list", "--format", "json"]);
        Assert.DoesNotContain("api-key", afterRemove.Stdout);
        var busy = await p.RunCliAsync(["namespace", "delete", "staging"]);
        Assert.Equal(1, busy.ExitCode);
        await RunOkAsync(["remove", "keyreader", "-n", "staging"]);
        await RunOkAsync(["secret", "remove", "api-key", "-n", "staging"]);
        await RunOkAsync(["namespace", "delete", "staging"]);
        var finalNamespaces = await RunOkAsync(["namespace", "list"]);
        Assert.DoesNotContain("staging", finalNamespaces.Stdout);
    }

    private async Task<CliResult> RunOkAsync(string[] args, TimeSpan? timeout = null, string? stdin = null)
    {
        var result = await _platform.RunCliAsync(args, stdin, timeout);
        Assert.True(result.ExitCode == 0, $"faas-cli {string.Join(' ', args)}: {result}\n{_platform.Diagnostics()}");
        return result;
    }

    private async Task<string?> InvokeAsync(string function)
    {
        using var response = await _platform.Http.PostAsync("/function/" + function, new StringContent("", Encoding.UTF8, "text/plain"));
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }

    private async Task<HttpStatusCode> StatusAsync(string function)
    {
        using var response = await _platform.Http.PostAsync("/function/" + function, new StringContent(""));
        return response.StatusCode;
    }
}
