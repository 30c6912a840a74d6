using System.Net;
using System.Text;
using System.Text.Json;
using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.DockerBackend;

/// <summary>
/// Namespaces on the Docker backend with the real faas-cli, gateway, controller and dockerd: the same
/// function name in the default namespace and in <c>staging</c>, each with its own env, labels and a
/// secret of the same name, is two independent functions: each answers with its own values through
/// <c>/function/name.namespace</c>, scaling one leaves the other alone, a secret update reaches only
/// its namespace, logs are per namespace, and removing one leaves the other serving.
/// The function is the platform's watchdog image in streaming mode (no image build needed).
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class NamespacesTests(DockerEngineFixture engine) : DockerPlatformTest(engine, "docker-namespaces")
{
    private const string DefaultNamespace = "openfaas-fn";

    // Answers namespace:env:secret (read from the mount on every call) and logs which namespace served.
    private const string FunctionProcess =
        """echo "served in $function_namespace" >&2; printf '%s:%s:%s' "$function_namespace" "$GREETING" "$(cat /var/openfaas/secrets/api-key 2>/dev/null || printf none)" """;

    private readonly string _function = $"nsecho-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly string _staging = $"staging-{Guid.NewGuid().ToString("N")[..6]}";
    [Fact]
    public async Task SameFunctionInTwoNamespaces_EnvLabelsSecretsScaleLogsAndRemoveStayApart()
    {
        var p = Platform;
        var network = p.Docker!.Network;

        // a second namespace; a secret of the same name with a different value in each
        await RunOkAsync(["namespace", "create", _staging]);
        await RunOkAsync(["secret", "create", "api-key", "--from-literal", "default-value"]);
        await RunOkAsync(["secret", "create", "api-key", "--from-literal", "staging-value", "-n", _staging]);

        // the same function name in both, with different env and labels
        await DeployAsync(null, "hello-default", "tier=default");
        await DeployAsync(_staging, "hello-staging", "tier=staging");
        await p.WaitUntilAsync(async () => await InvokeAsync(_function) == $"{DefaultNamespace}:hello-default:default-value", TimeSpan.FromSeconds(60), "the default copy to answer with its own env and secret");
        await p.WaitUntilAsync(async () => await InvokeAsync($"{_function}.{_staging}") == $"{_staging}:hello-staging:staging-value", TimeSpan.FromSeconds(60), "the staging copy to answer with its own env and secret");
        Assert.Equal($"{DefaultNamespace}:hello-default:default-value", await InvokeAsync($"{_function}.{DefaultNamespace}"));
        Assert.Equal("default", (await DescribeAsync(null)).Labels["tier"]);
        Assert.Equal("staging", (await DescribeAsync(_staging)).Labels["tier"]);
        Assert.Equal(1, await ReplicaContainersAsync(DefaultNamespace));
        Assert.Equal(1, await ReplicaContainersAsync(_staging));

        // scale staging to 2: the default copy keeps 1 replica and 1 container
        await RunOkAsync(["scale", _function, "--replicas", "2", "-n", _staging]);
        await p.WaitUntilAsync(async () => (await DescribeAsync(_staging)).Available == 2, TimeSpan.FromSeconds(60), "2 ready staging replicas");
        Assert.Equal(2, await ReplicaContainersAsync(_staging));
        var defaultCopy = await DescribeAsync(null);
        Assert.Equal((1, 1), (defaultCopy.Replicas, defaultCopy.Available));
        Assert.Equal(1, await ReplicaContainersAsync(DefaultNamespace));

        // a secret update reaches the staging replicas only
        await RunOkAsync(["secret", "update", "api-key", "--from-literal", "staging-second", "-n", _staging]);
        await p.WaitUntilAsync(
            async () =>
            {
                // Several calls, so both staging replicas are asked.
                var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => InvokeAsync($"{_function}.{_staging}")));
                return answers.All(a => a == $"{_staging}:hello-staging:staging-second");
            },
            TimeSpan.FromSeconds(30),
            "the updated staging secret in the staging replicas");
        Assert.Equal($"{DefaultNamespace}:hello-default:default-value", await InvokeAsync(_function));

        // logs are per namespace
        await p.WaitUntilAsync(
            async () =>
            {
                var logs = await p.RunCliAsync(["logs", _function, "-n", _staging, "--tail=false"]);
                return logs.ExitCode == 0 && logs.Stdout.Contains($"served in {_staging}", StringComparison.Ordinal)
                    && !logs.Stdout.Contains($"served in {DefaultNamespace}", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30),
            "the staging copy's logs, without the default copy's lines");
        var defaultLogs = await RunOkAsync(["logs", _function, "--tail=false"]);
        Assert.Contains($"served in {DefaultNamespace}", defaultLogs.Stdout);
        Assert.DoesNotContain($"served in {_staging}", defaultLogs.Stdout);

        // removing the default copy leaves the staging one serving, with its containers
        await RunOkAsync(["remove", _function]);
        await p.WaitUntilAsync(async () => await StatusCodeAsync(_function) == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30), "404 for the default copy");
        await p.WaitUntilAsync(async () => await ReplicaContainersAsync(DefaultNamespace) == 0, TimeSpan.FromSeconds(30), "the default copy's containers to go");
        Assert.Equal($"{_staging}:hello-staging:staging-second", await InvokeAsync($"{_function}.{_staging}"));
        Assert.Equal(2, await ReplicaContainersAsync(_staging));
        var stagingList = await RunOkAsync(["list", "-n", _staging]);
        Assert.Contains(_function, stagingList.Stdout);

        // clean up through the API: function, secrets, namespace
        await RunOkAsync(["remove", _function, "-n", _staging]);
        await RunOkAsync(["secret", "remove", "api-key"]);
        await RunOkAsync(["secret", "remove", "api-key", "-n", _staging]);
        await RunOkAsync(["namespace", "delete", _staging]);
        await p.WaitUntilAsync(async () => (await Engine.ContainersOfAsync(network)).Count == 0, TimeSpan.FromSeconds(30), "no container left");
    }

    private async Task DeployAsync(string? ns, string greeting, string label)
    {
        var args = new List<string>
        {
            "deploy", "--image", Engine.WatchdogImage, "--name", _function, "--fprocess", FunctionProcess,
            "--env", "mode=streaming", "--env", $"GREETING={greeting}", "--label", label, "--secret", "api-key",
        };
        if (ns is not null)
        {
            args.AddRange(["-n", ns]);
        }

        await RunOkAsync([.. args]);
    }

    private async Task<CliResult> RunOkAsync(string[] args)
    {
        var result = await Platform.RunCliAsync(args);
        Assert.True(result.ExitCode == 0, $"faas-cli {string.Join(' ', args)}: {result}\n{Platform.Diagnostics()}");
        return result;
    }

    private async Task<string?> InvokeAsync(string function)
    {
        using var response = await Platform.Http.PostAsync("/function/" + function, new StringContent("", Encoding.UTF8, "text/plain"));
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }

    private async Task<HttpStatusCode> StatusCodeAsync(string function)
    {
        using var response = await Platform.Http.PostAsync("/function/" + function, new StringContent(""));
        return response.StatusCode;
    }

    /// <summary>The function's status in <paramref name="ns"/> (the default namespace when null) from the system API.</summary>
    private async Task<(int Replicas, int Available, Dictionary<string, string> Labels)> DescribeAsync(string? ns)
    {
        var query = ns is null ? "" : $"?namespace={ns}";
        using var response = await Platform.Admin.GetAsync($"/system/function/{_function}{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /system/function/{_function}{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var labels = root.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object
            ? l.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetString() ?? "")
            : [];
        return (Count(root, "replicas"), Count(root, "availableReplicas"), labels);

        static int Count(JsonElement root, string property) =>
            root.TryGetProperty(property, out var value) ? value.GetInt32() : 0;
    }

    /// <summary>Running replica containers of the function in <paramref name="ns"/>, by the controller's labels.</summary>
    private async Task<int> ReplicaContainersAsync(string ns) =>
        (await Engine.ContainersOfAsync(Platform.Docker!.Network, _function))
            .Count(c => c.State == "running" && c.Labels?.GetValueOrDefault("com.faas.role") == "replica"
                && c.Labels?.GetValueOrDefault("com.faas.namespace") == ns);
}
