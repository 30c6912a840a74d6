using System.Text.Json;
using Faas.Cli.Tests.Support;
using Faas.Contracts.Artifacts;

namespace Faas.Cli.Tests.Build;

/// <summary>
/// Build against a fake <c>dotnet</c> (a shell script that records its arguments and writes the
/// publish output), so the artifact-store logic is tested in milliseconds.
/// </summary>
public class BuildCommandTests
{
    private const string Stack = """
        version: 1.0
        provider:
          name: openfaas
        functions:
          alpha:
            lang: csharp
            handler: ./alpha
            image: alpha:latest
            build_args:
              FromStack: "1"
          beta:
            lang: csharp
            handler: ./beta
            image: registry.local/beta:2.0
        """;

    private static CliRunner Runner(string stack = Stack)
    {
        var runner = new CliRunner();
        runner.Write("stack.yml", stack);
        foreach (var name in new[] { "alpha", "beta" })
        {
            runner.Write($"{name}/Function.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><AssemblyName>Function</AssemblyName></PropertyGroup></Project>");
        }

        var script = runner.PathOf("fake-dotnet.sh");
        File.WriteAllText(script, """
            #!/bin/sh
            out=""
            prev=""
            for arg in "$@"; do
              if [ "$prev" = "-o" ]; then out="$arg"; fi
              prev="$arg"
            done
            echo "publishing to $out"
            echo "args: $*"
            if [ -n "$FAIL_BUILD" ]; then echo "error CS1002: ; expected" >&2; exit 1; fi
            mkdir -p "$out" && echo dll > "$out/Function.dll"
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        runner.DotnetPath = script;
        return runner;
    }

    private static string Store(CliRunner runner) => runner.Environment[ArtifactStore.EnvironmentVariable];

    [Fact]
    public async Task Build_PublishesEachFunctionIntoTheStoreWithAManifest()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("build", "--parallel", "2", "-b", "FromFlag=2");

        Assert.Equal(0, result.ExitCode);
        foreach (var (image, key) in new[] { ("alpha:latest", "alpha_latest"), ("registry.local/beta:2.0", "registry.local_beta_2.0") })
        {
            var folder = Path.Combine(Store(runner), key);
            Assert.True(File.Exists(Path.Combine(folder, "Function.dll")));
            var manifest = ArtifactManifest.TryRead(folder);
            Assert.NotNull(manifest);
            Assert.Equal(image, manifest.Image);
            Assert.Equal("csharp", manifest.Lang);
            Assert.Equal("Function.dll", manifest.HandlerAssembly);
            Assert.Contains($"Image: {image} built.", result.Out);
        }

        Assert.Empty(Directory.GetDirectories(Store(runner), "*.tmp-*"));
        Assert.Contains("[alpha] publishing to", result.Out);
        Assert.Matches(@"\[alpha\] args: publish .*Function\.csproj -c Release -o .*alpha_latest\.tmp-\w+ --nologo .*-p:FromStack=1 -p:FromFlag=2", result.Out);
        Assert.Contains("-p:RestoreAdditionalProjectSources=", result.Out);
    }

    [Fact]
    public async Task Build_ReplacesAnExistingArtifact()
    {
        using var runner = Runner();
        var folder = Path.Combine(Store(runner), "alpha_latest");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "stale.dll"), "old");

        var result = await runner.RunAsync("build", "--filter", "alpha");

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(Path.Combine(folder, "stale.dll")));
        Assert.True(File.Exists(Path.Combine(folder, "Function.dll")));
        Assert.Single(Directory.GetDirectories(Store(runner)));
    }

    [Fact]
    public async Task Build_Failure_KeepsTheOldArtifactAndExitsOne()
    {
        using var runner = Runner();
        var folder = Path.Combine(Store(runner), "alpha_latest");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Function.dll"), "old");
        var script = File.ReadAllText(runner.DotnetPath).Replace("if [ -n \"$FAIL_BUILD\" ]", "if true");
        File.WriteAllText(runner.DotnetPath, script);

        var result = await runner.RunAsync("build", "--regex", "^alpha$", "--quiet");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("function 'alpha': dotnet publish failed with exit code 1", result.Err);
        Assert.Contains("[alpha] error CS1002", result.Out); // --quiet still shows the output of a failed build
        Assert.Equal("old", File.ReadAllText(Path.Combine(folder, "Function.dll")));
        Assert.Single(Directory.GetDirectories(Store(runner)));
    }

    [Fact]
    public async Task Build_MissingHandlerFolder_FailsBeforeAnyBuild()
    {
        using var runner = Runner(Stack.Replace("./beta", "./gone"));

        var result = await runner.RunAsync("build");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("function 'beta'", result.Err);
        Assert.Contains("handler folder not found: ./gone", result.Err);
        Assert.False(Directory.Exists(Store(runner)));
    }

    [Fact]
    public async Task Build_UnknownStackKey_NamesKeyFunctionAndFile()
    {
        using var runner = Runner(Stack.Replace("    image: alpha:latest", "    image: alpha:latest\n    imgae: typo"));

        var result = await runner.RunAsync("build", "-f", "stack.yml");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown key 'imgae' in function 'alpha'", result.Err);
        Assert.Contains(runner.PathOf("stack.yml"), result.Err);
        Assert.False(Directory.Exists(Store(runner)));
    }

    [Fact]
    public async Task Build_SkipsSkipBuildAndRejectsDockerfile()
    {
        using var runner = Runner(Stack.Replace("    image: alpha:latest", "    image: alpha:latest\n    skip_build: true"));

        var skipped = await runner.RunAsync("build", "--filter", "alpha");
        Assert.Equal(0, skipped.ExitCode);
        Assert.Contains("Skipping build of: alpha.", skipped.Out);

        runner.Write("stack.yml", Stack.Replace("lang: csharp\n    handler: ./beta", "lang: dockerfile\n    handler: ./beta"));
        var docker = await runner.RunAsync("build", "--filter", "beta");
        Assert.Equal(1, docker.ExitCode);
        Assert.Contains("lang dockerfile needs a container backend", docker.Err);
    }

    [Fact]
    public async Task Build_AcceptsStackYaml()
    {
        using var runner = Runner();
        File.Move(runner.PathOf("stack.yml"), runner.PathOf("stack.yaml"));

        var result = await runner.RunAsync("build", "--filter", "beta");

        Assert.Equal(0, result.ExitCode);
        Assert.True(Directory.Exists(Path.Combine(Store(runner), "registry.local_beta_2.0")));
    }

    [Fact]
    public async Task Up_BuildsSkipsPushAndDeploys()
    {
        using var runner = Runner();
        runner.Gateway.On("PUT", "/system/functions", System.Net.HttpStatusCode.Accepted);

        var result = await runner.RunAsync("up", "--filter", "alpha", "-e", "k=v");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[1/3] Building 1 function(s): alpha", result.Out);
        Assert.Contains("[2/3] Pushing 1 function(s): alpha", result.Out);
        Assert.Contains("names no registry", result.Out);
        Assert.Contains("[3/3] Deploying 1 function(s): alpha", result.Out);
        Assert.Contains("URL: http://127.0.0.1:8080/function/alpha", result.Out);
        using var body = JsonDocument.Parse(runner.Gateway.Requests.Single().Body);
        Assert.Equal("v", body.RootElement.GetProperty("envVars").GetProperty("k").GetString());
    }

    [Fact]
    public async Task Up_SkipDeploy_DoesNotCallTheGateway()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("up", "--skip-deploy", "--skip-push");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Deploy skipped", result.Out);
        Assert.Empty(runner.Gateway.Requests);
    }
}
