using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Functions;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>No daemon behind <c>docker_host</c>: changes are 503 with a message, reads keep answering.</summary>
public sealed class DockerUnavailableTests
{
    [Fact]
    public async Task Deploy_WithTheDaemonUnreachable_Is503_AndListsStillAnswer()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"faas-no-docker-{Guid.NewGuid():N}.sock");
        var app = Program.Build(["--port=0", "--backend=docker", $"--docker_host=unix://{socket}", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            using var deploy = await client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = "echo", Image = "echo:latest" });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, deploy.StatusCode);
            Assert.Contains("Docker daemon", await deploy.Content.ReadAsStringAsync());
            using var list = await client.GetAsync("/system/functions");
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public void DockerOptions_AreValidated()
    {
        var e = Assert.Throws<Faas.Controller.Configuration.ControllerOptionsException>(() =>
            Program.Build(["--port=0", "--backend=docker", "--docker_host=ftp://x", "--docker_network=bad name", "--docker_gateway_reachability=nat"]));

        Assert.Equal(3, e.Errors.Count);
    }
}
