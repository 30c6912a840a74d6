using System.Net;
using System.Text;
using Faas.EndToEnd.Tests.Infrastructure;

namespace Faas.EndToEnd.Tests.DockerBackend;

/// <summary>
/// OpenFaaS-style functions on the Docker backend, deployed with the real faas-cli from an existing
/// image (the platform's watchdog image, whose busybox provides <c>cat</c> and <c>httpd</c>):
/// a streaming-mode <c>fprocess=cat</c>, an http-mode one proxying to a server it starts, and an
/// image the daemon does not have.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class WatchdogModesTests(DockerEngineFixture engine) : DockerPlatformTest(engine, "docker-modes")
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];
    [Fact]
    public async Task StreamingCat_HttpModeServer_AndAMissingImage()
    {
        var p = Platform;
        var network = p.Docker!.Network;
        var cat = $"cat-{_suffix}";
        var web = $"web-{_suffix}";

        // streaming: one `cat` per call, the body on its stdin, its stdout as the response
        var streaming = await p.RunCliAsync(["deploy", "--image", Engine.WatchdogImage, "--name", cat, "--fprocess", "cat", "--env", "mode=streaming"]);
        Assert.True(streaming.ExitCode == 0, streaming.ToString());

        // http: `httpd` started once, calls proxied to it (it serves the image's /etc)
        var http = await p.RunCliAsync(["deploy", "--image", Engine.WatchdogImage, "--name", web, "--fprocess", "httpd -f -p 127.0.0.1:3000 -h /etc", "--env", "mode=http"]);
        Assert.True(http.ExitCode == 0, http.ToString());

        await p.WaitUntilAsync(async () => await PostAsync(cat, "streamed through cat") == "streamed through cat", TimeSpan.FromSeconds(60), "the streaming function to echo its body");
        var invoked = await p.RunCliAsync(["invoke", cat], stdin: "via the cli");
        Assert.True(invoked.ExitCode == 0, invoked.ToString());
        Assert.Contains("via the cli", invoked.Stdout);

        await p.WaitUntilAsync(
            async () =>
            {
                using var response = await p.Http.GetAsync($"/function/{web}/passwd");
                return response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("app:x:12000");
            },
            TimeSpan.FromSeconds(60),
            "the http-mode function to serve /etc/passwd through its upstream");

        // an image the daemon does not have: the deploy fails at once with the daemon's reason, nothing is created
        var missingImage = $"faas-missing/none:{_suffix}";
        var missing = await p.RunCliAsync(["deploy", "--image", missingImage, "--name", $"missing-{_suffix}"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(missingImage, missing.Stdout + missing.Stderr);
        Assert.Contains("not on the Docker daemon", missing.Stdout + missing.Stderr);
        Assert.Empty(await Engine.ContainersOfAsync(network, $"missing-{_suffix}"));

        // remove both: no container, no network
        foreach (var name in new[] { cat, web })
        {
            var removed = await p.RunCliAsync(["remove", name]);
            Assert.True(removed.ExitCode == 0, removed.ToString());
        }

        await p.WaitUntilAsync(async () => (await Engine.ContainersOfAsync(network)).Count == 0, TimeSpan.FromSeconds(30), "no container left");
        Assert.False(await Engine.NetworkExistsAsync(network), $"network {network} should be removed with its last function");
    }

    private async Task<string?> PostAsync(string name, string body)
    {
        using var response = await Platform.Http.PostAsync($"/function/{name}", new StringContent(body, Encoding.UTF8, "text/plain"));
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }
}
