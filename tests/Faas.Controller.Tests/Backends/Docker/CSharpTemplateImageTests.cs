using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Faas.Contracts.Functions;
using Faas.Controller.Backends.Docker;
using Faas.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

/// <summary>
/// End to end on the real images: scripts/build-base-images.sh against the test daemon, the sample
/// echo handler published on the host and built with templates/csharp/Dockerfile, deployed by the
/// Docker backend and called on its bridge IP. About a minute (runtime image import, two publishes).
/// </summary>
[Collection(DockerBackendCollection.Name)]
public sealed class CSharpTemplateImageTests(DockerBackendFixture fixture)
{
    private static readonly string Repository = FindRepository();

    [Fact]
    public async Task CSharpTemplateImage_DeployedOnDocker_AnswersThroughItsBridgeIp()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var watchdogImage = $"faas-test/watchdog:{tag}";

        // 1. Base images with the script, as a user would.
        await RunAsync("bash", [Path.Combine(Repository, "scripts", "build-base-images.sh")],
            ("DOCKER_HOST", fixture.Daemon.DockerHost), ("FAAS_RUNTIME_IMAGE", $"faas-test/dotnet-runtime:{tag}"), ("FAAS_WATCHDOG_IMAGE", watchdogImage));

        // 2. The function image: handler published on the host, then the template's Dockerfile.
        var context = Directory.CreateTempSubdirectory("faas-csharp-image-").FullName;
        try
        {
            await RunAsync("dotnet", ["publish", Path.Combine(Repository, "samples", "echo", "Function.csproj"), "-c", "Release", "-o", Path.Combine(context, "function"), "-nologo", "-v", "quiet"]);
            File.Copy(Path.Combine(Repository, "templates", "csharp", "Dockerfile"), Path.Combine(context, "Dockerfile"));
            var image = $"faas-test/echo:{tag}";
            using (var tar = await BuildContext.FromDirectoryAsync(context))
            {
                await foreach (var _ in fixture.Client.Images.BuildImageAsync(tar, new ImageBuildParameters
                {
                    Tags = [image],
                    BuildArgs = new Dictionary<string, string> { ["WATCHDOG_IMAGE"] = watchdogImage },
                }))
                {
                }
            }

            // 3. Deploy and call.
            var network = $"faas-t-{tag}";
            var app = Program.Build(["--port=0", "--backend=docker", $"--docker_network={network}", "--Logging:LogLevel:Default=Warning"],
                services => services.AddSingleton(fixture.Client));
            await app.StartAsync();
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
                using (var deploy = await client.PostAsJsonAsync("/system/functions", new FunctionDeployment { Service = $"echo-{tag}", Image = image, ReadOnlyRootFilesystem = true }))
                {
                    Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
                }

                var backend = app.Services.GetRequiredService<DockerBackend>();
                var clock = Stopwatch.StartNew();
                string? url = null;
                while (url is null)
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the C# replica did not turn ready");
                    await Task.Delay(200);
                    url = backend.Endpoints.Current.Functions.SingleOrDefault(f => f.Name == $"echo-{tag}")?.Endpoints.FirstOrDefault()?.Url;
                }

                using var response = await new HttpClient().PostAsync(url, new StringContent("World"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("World", await response.Content.ReadAsStringAsync());

                using var delete = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/system/functions") { Content = JsonContent.Create(new { functionName = $"echo-{tag}" }) });
                Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    private static async Task RunAsync(string file, string[] arguments, params (string Key, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Faas.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Faas.sln not found above the test output");
    }
}
