using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Functions;
using Faas.Testing.Net;

namespace Faas.Controller.Tests.Backends.Kubernetes;

/// <summary>Through the app: with no API server answering, every endpoint that needs it says 503, not 500.</summary>
public sealed class KubernetesUnreachableAppTests
{
    [Fact]
    public async Task NoApiServer_ListDeployAndSecretsAnswer503()
    {
        using var dir = new TempDir();
        // Nothing listens there, so connections are refused at once.
        var port = TestPorts.Next();
        var kubeconfig = dir.Combine("config");
        await File.WriteAllTextAsync(kubeconfig, $$$"""
            apiVersion: v1
            kind: Config
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:{{{port}}}", insecure-skip-tls-verify: true}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """);
        var app = Program.Build(["--port=0", "--backend=kubernetes", $"--kubeconfig={kubeconfig}", $"--state_dir={dir.Combine("state")}", "--Logging:LogLevel:Default=None"]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            using var list = await http.GetAsync("/system/functions");
            using var deploy = await http.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = "echo", Image = "example.invalid/echo:1" });
            using var secrets = await http.GetAsync("/system/secrets");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
            Assert.Contains("unreachable", await list.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, deploy.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, secrets.StatusCode);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
