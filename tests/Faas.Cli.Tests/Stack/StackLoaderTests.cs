using Faas.Cli.Stack;

namespace Faas.Cli.Tests.Stack;

public class StackLoaderTests
{
    private const string Path = "/work/app/stack.yml";

    private static StackFile Parse(string yaml, Dictionary<string, string>? env = null, bool envsubst = true) =>
        StackLoader.Parse(yaml, Path, name => env is not null && env.TryGetValue(name, out var v) ? v : null, envsubst);

    private static string ErrorOf(string yaml) => Assert.Throws<CommandFailedException>(() => Parse(yaml)).Message;

    [Fact]
    public void Parse_ReadsEveryKey()
    {
        var stack = Parse("""
            version: 1.0
            provider:
              name: openfaas
              gateway: http://gw.example:8080
            functions:
              echo:
                lang: csharp
                handler: ./echo
                image: me/echo:1.0
                fprocess: dotnet Function.dll
                namespace: staging
                environment:
                  write_debug: true
                  count: 3
                environment_file:
                  - env.yml
                secrets:
                  - api-key
                skip_build: true
                constraints:
                  - node=fast
                labels:
                  com.openfaas.scale.min: "2"
                annotations:
                  topic: orders
                limits:
                  memory: 128Mi
                  cpu: 500m
                requests:
                  memory: 64Mi
                  cpu: 100m
                readonly_root_filesystem: true
                build_args:
                  VERSION: "1.2"
                build_options:
                  - dev
                build_secrets:
                  token: ./token.txt
                platforms: linux/amd64
            configuration:
              templates:
                - name: csharp
                  source: https://example.com/templates.git
              copy:
                - ./common
            """);

        Assert.Equal("1.0", stack.Version);
        Assert.Equal("openfaas", stack.Provider!.Name);
        Assert.Equal("http://gw.example:8080", stack.Provider.Gateway);
        var echo = stack.Functions["echo"];
        Assert.Equal("echo", echo.Name);
        Assert.Equal("csharp", echo.Lang);
        Assert.Equal("./echo", echo.Handler);
        Assert.Equal("me/echo:1.0", echo.Image);
        Assert.Equal("dotnet Function.dll", echo.FProcess);
        Assert.Equal("staging", echo.Namespace);
        Assert.Equal("true", echo.Environment!["write_debug"]);
        Assert.Equal("3", echo.Environment["count"]);
        Assert.Equal(["env.yml"], echo.EnvironmentFile!);
        Assert.Equal(["api-key"], echo.Secrets!);
        Assert.True(echo.SkipBuild);
        Assert.Equal(["node=fast"], echo.Constraints!);
        Assert.Equal("2", echo.Labels!["com.openfaas.scale.min"]);
        Assert.Equal("orders", echo.Annotations!["topic"]);
        Assert.Equal("128Mi", echo.Limits!.Memory);
        Assert.Equal("500m", echo.Limits.Cpu);
        Assert.Equal("64Mi", echo.Requests!.Memory);
        Assert.Equal("100m", echo.Requests.Cpu);
        Assert.True(echo.ReadonlyRootFilesystem);
        Assert.Equal("1.2", echo.BuildArgs!["VERSION"]);
        Assert.Equal(["dev"], echo.BuildOptions!);
        Assert.Equal("./token.txt", echo.BuildSecrets!["token"]);
        Assert.Equal("linux/amd64", echo.Platforms);
        Assert.Equal("csharp", stack.Configuration!.Templates![0].Name);
        Assert.Equal("https://example.com/templates.git", stack.Configuration.Templates[0].Source);
        Assert.Equal(["./common"], stack.Configuration.Copy!);
        Assert.Equal("/work/app", stack.Directory);
    }

    [Fact]
    public void Parse_SubstitutesEnvironmentVariablesWithDefaults()
    {
        const string yaml = """
            version: 1.0
            provider:
              name: openfaas
              gateway: ${GW}
            functions:
              echo:
                image: ${REGISTRY:-docker.io}/echo:${TAG:-latest}
                environment:
                  empty_default: "${EMPTY:-fallback}"
                  unset_only: "${EMPTY-kept}"
            """;

        var stack = Parse(yaml, new() { ["GW"] = "http://gw:1234", ["TAG"] = "1.0", ["EMPTY"] = "" });

        Assert.Equal("http://gw:1234", stack.Provider!.Gateway);
        Assert.Equal("docker.io/echo:1.0", stack.Functions["echo"].Image);
        Assert.Equal("fallback", stack.Functions["echo"].Environment!["empty_default"]);
        Assert.Equal("", stack.Functions["echo"].Environment!["unset_only"]);

        var literal = Parse(yaml, new() { ["TAG"] = "1.0" }, envsubst: false);
        Assert.Equal("${REGISTRY:-docker.io}/echo:${TAG:-latest}", literal.Functions["echo"].Image);
    }

    [Fact]
    public void Parse_UnknownKey_NamesTheKeyTheFunctionTheFileAndTheLine()
    {
        var message = ErrorOf("""
            version: 1.0
            provider:
              name: openfaas
            functions:
              echo:
                lang: csharp
                imagee: echo:latest
              other:
                image: other:latest
                limits:
                  memroy: 1Gi
            """);

        Assert.Contains(Path, message);
        Assert.Contains("line 7: unknown key 'imagee' in function 'echo'", message);
        Assert.Contains("unknown key 'memroy' in 'limits' in function 'other'", message);
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_IsAnError()
    {
        var message = ErrorOf("""
            version: 1.0
            provider:
              name: openfaas
            function:
              echo: {}
            """);

        Assert.Contains("unknown key 'function' at the top level", message);
    }

    [Theory]
    [InlineData("kubernetes", "provider.name 'kubernetes' is not supported")]
    [InlineData("", "provider.name is required")]
    public void Parse_RejectsOtherProviders(string provider, string expected)
    {
        var message = ErrorOf($"""
            version: 1.0
            provider:
              name: {provider}
            functions: {"{}"}
            """);

        Assert.Contains(expected, message);
    }

    [Fact]
    public void Parse_AcceptsFaasProviderAndRejectsOtherVersions()
    {
        Assert.Equal("faas", Parse("provider:\n  name: faas\n").Provider!.Name);
        Assert.Contains("version '2.0' is not supported", ErrorOf("version: 2.0\nprovider:\n  name: openfaas\n"));
    }

    [Fact]
    public void Parse_InvalidFunctionName_IsAnError()
    {
        var message = ErrorOf("""
            provider:
              name: openfaas
            functions:
              Echo_Fn:
                image: echo:latest
            """);

        Assert.Contains("line 4: function name 'Echo_Fn' is invalid", message);
    }

    [Fact]
    public void Parse_MalformedYaml_ReportsTheLine()
    {
        var message = ErrorOf("provider:\n  name: openfaas\nfunctions:\n  echo:\n    image: [unclosed\n");
        Assert.Contains("invalid stack file", message);
        Assert.Contains("line", message);
    }

    [Fact]
    public void ResolveEnvironment_FilesOverrideInlineAndLaterFilesWin()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "faas-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(System.IO.Path.Combine(dir, "a.yml"), "environment:\n  shared: a\n  only_a: 1\n");
            File.WriteAllText(System.IO.Path.Combine(dir, "b.yml"), "environment:\n  shared: b\n");
            var stack = StackLoader.Parse("""
                provider:
                  name: openfaas
                functions:
                  echo:
                    environment:
                      shared: inline
                      only_inline: x
                    environment_file: [a.yml, b.yml]
                """, System.IO.Path.Combine(dir, "stack.yml"), _ => null);

            var env = StackLoader.ResolveEnvironment(stack, stack.Functions["echo"]);

            Assert.Equal("b", env["shared"]);
            Assert.Equal("1", env["only_a"]);
            Assert.Equal("x", env["only_inline"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Filter_SelectsByGlobOrRegexButNotBoth()
    {
        var stack = Parse("""
            provider:
              name: openfaas
            functions:
              api-orders: {image: a}
              api-users: {image: b}
              worker: {image: c}
            """);

        Assert.Equal(["api-orders", "api-users"], FunctionFilter.Apply(stack, "api-*", null).Select(f => f.Name));
        Assert.Equal(["worker"], FunctionFilter.Apply(stack, null, "^w").Select(f => f.Name));
        Assert.Throws<UsageException>(() => FunctionFilter.Apply(stack, "a*", "b"));
        Assert.Throws<CommandFailedException>(() => FunctionFilter.Apply(stack, "nothing*", null));
    }
}

public class StackLoaderMergeKeyTests
{
    [Fact]
    public void Parse_SupportsAnchorsMergeKeysAndExtensionFields()
    {
        var stack = StackLoader.Parse("""
            version: 1.0
            provider:
              name: openfaas
            x-defaults: &defaults
              lang: csharp
              environment:
                mode: fast
            functions:
              a:
                <<: *defaults
                image: a:latest
              b:
                <<: *defaults
                image: b:latest
            """, "/work/stack.yml", _ => null);

        Assert.Equal("csharp", stack.Functions["a"].Lang);
        Assert.Equal("fast", stack.Functions["b"].Environment!["mode"]);
        Assert.Equal("b:latest", stack.Functions["b"].Image);
    }
}
