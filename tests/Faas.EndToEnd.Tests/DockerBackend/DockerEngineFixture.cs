using System.Diagnostics;
using System.Text.RegularExpressions;
using Faas.Docker;
using Faas.EndToEnd.Tests.Infrastructure;
using Faas.Testing.Docker;

namespace Faas.EndToEnd.Tests.DockerBackend;

/// <summary>
/// Not run in parallel with other collections: building the base images and the function image
/// takes both cores for a while, which would eat into the timing windows of the process-backend journeys.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerEngineCollection : ICollectionFixture<DockerEngineFixture>
{
    public const string Name = "docker engine e2e";
}

/// <summary>
/// A Docker daemon for the Docker-backend journeys (the private dockerd of <see cref="DockerDaemonFixture"/>
/// unless <c>DOCKER_HOST</c> answers) with the platform's base images built on it by
/// <c>scripts/build-base-images.sh</c>, as a user would. Each platform gets its own bridge network.
/// </summary>
public sealed partial class DockerEngineFixture : IAsyncLifetime
{
    public DockerDaemonFixture Daemon { get; } = new();

    public DockerClient Client => Daemon.Client;

    /// <summary>The watchdog image the C# template builds on by default, e.g. <c>faas/watchdog:0.1.0</c>.</summary>
    public string WatchdogImage { get; } = "faas/watchdog:" + ReadVersion();

    public async Task InitializeAsync()
    {
        await Daemon.InitializeAsync();
        await RunAsync("bash", [Path.Combine(RepoLayout.Root, "scripts", "build-base-images.sh")], ("DOCKER_HOST", Daemon.DockerHost), ("CONFIGURATION", RepoLayout.Configuration));
    }

    public Task DisposeAsync() => Daemon.DisposeAsync();

    /// <summary>Settings for one platform: this daemon and a network no other platform uses.</summary>
    public DockerSettings NewSettings() => new(Daemon.DockerHost, $"faas-e2e-{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>Every container of the platform on <paramref name="network"/> (the controller labels them with it).</summary>
    public async Task<IReadOnlyList<ContainerSummary>> ContainersOfAsync(string network, string? function = null)
    {
        var labels = new List<string> { $"com.faas.network={network}" };
        if (function is not null)
        {
            labels.Add($"com.faas.function={function}");
        }

        return await Client.Containers.ListContainersAsync(new ContainerListParameters { All = true, Filters = new Dictionary<string, IList<string>> { ["label"] = labels } });
    }

    public async Task<bool> NetworkExistsAsync(string network) =>
        (await Client.Networks.ListNetworksAsync()).Any(n => n.Name == network);

    /// <summary>Safety net after a failed journey: removes what the platform left on the daemon.</summary>
    public async Task CleanUpAsync(string network)
    {
        try
        {
            foreach (var container in await ContainersOfAsync(network))
            {
                await Client.Containers.RemoveContainerAsync(container.Id, force: true);
            }

            if (await NetworkExistsAsync(network))
            {
                await Client.Networks.DeleteNetworkAsync(network);
            }
        }
        catch (DockerException)
        {
            // Best effort: a private daemon's data goes with it anyway.
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

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in 5 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private static string ReadVersion()
    {
        var props = File.ReadAllText(Path.Combine(RepoLayout.Root, "Directory.Build.props"));
        return VersionPattern().Match(props) is { Success: true } match ? match.Groups[1].Value : "dev";
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionPattern();
}
