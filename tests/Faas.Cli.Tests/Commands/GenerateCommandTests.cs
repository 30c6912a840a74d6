using Faas.Cli.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Faas.Cli.Tests.Commands;

public class GenerateCommandTests
{
    private const string Stack = """
        version: 1.0
        provider:
          name: openfaas
          gateway: http://127.0.0.1:8080
        functions:
          echo:
            lang: csharp
            handler: ./echo
            image: ghcr.io/acme/echo:0.1
            environment:
              write_debug: "true"
              greeting: "a: b # not a comment"
            environment_file:
              - env.yml
            labels:
              com.openfaas.scale.min: "2"
            annotations:
              topic: orders
            limits:
              memory: 128Mi
              cpu: 500m
            requests:
              cpu: 100m
            constraints:
              - zone=a
            secrets:
              - api-key
            readonly_root_filesystem: true
          other:
            image: other:latest
            namespace: team-b
        """;

    private static CliRunner Runner()
    {
        var runner = new CliRunner();
        runner.Write("stack.yml", Stack);
        runner.Write("env.yml", "environment:\n  from_file: \"yes\"\n");
        return runner;
    }

    private static List<YamlMappingNode> Documents(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        return yaml.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static string At(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current)[key];
        }

        return ((YamlScalarNode)current).Value!;
    }

    [Fact]
    public async Task Generate_WritesOneFunctionResourcePerStackFunction()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("generate");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("---\napiVersion: openfaas.com/v1\nkind: Function\nmetadata:\n  name: echo\n  namespace: openfaas-fn\nspec:\n  name: echo\n", result.Out);
        var docs = Documents(result.Out);
        Assert.Equal(2, docs.Count);
        var echo = docs[0];
        Assert.Equal("openfaas.com/v1", At(echo, "apiVersion"));
        Assert.Equal("Function", At(echo, "kind"));
        Assert.Equal("ghcr.io/acme/echo:0.1", At(echo, "spec", "image"));
        Assert.Equal("true", At(echo, "spec", "environment", "write_debug"));
        Assert.Equal("a: b # not a comment", At(echo, "spec", "environment", "greeting"));
        Assert.Equal("yes", At(echo, "spec", "environment", "from_file"));
        Assert.Equal("2", At(echo, "spec", "labels", "com.openfaas.scale.min"));
        Assert.Equal("orders", At(echo, "spec", "annotations", "topic"));
        Assert.Equal("128Mi", At(echo, "spec", "limits", "memory"));
        Assert.Equal("500m", At(echo, "spec", "limits", "cpu"));
        Assert.Equal("100m", At(echo, "spec", "requests", "cpu"));
        Assert.Equal("zone=a", ((YamlScalarNode)((YamlSequenceNode)echo["spec"]["constraints"])[0]).Value);
        Assert.Equal("api-key", ((YamlScalarNode)((YamlSequenceNode)echo["spec"]["secrets"])[0]).Value);
        Assert.Equal("true", At(echo, "spec", "readOnlyRootFilesystem"));

        // Strings that would read back as numbers or booleans are quoted, as go-yaml does.
        Assert.Contains("    com.openfaas.scale.min: \"2\"\n", result.Out);
        Assert.Contains("    write_debug: \"true\"\n", result.Out);
        Assert.Contains("  secrets:\n  - api-key\n", result.Out);

        var other = docs[1];
        Assert.Equal("team-b", At(other, "metadata", "namespace"));
        Assert.False(((YamlMappingNode)other["spec"]).Children.ContainsKey(new YamlScalarNode("environment")));
        Assert.False(((YamlMappingNode)other["spec"]).Children.ContainsKey(new YamlScalarNode("readOnlyRootFilesystem")));
        Assert.Empty(runner.Gateway.Requests);
    }

    [Fact]
    public async Task Generate_NamespaceFlagFilterAndExtraLabels()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("generate", "-n", "prod", "--filter", "oth*", "--label", "team=b", "--annotation", "owner=ops", "--yaml", "stack.yml");

        Assert.Equal(0, result.ExitCode);
        var doc = Assert.Single(Documents(result.Out));
        Assert.Equal("other", At(doc, "metadata", "name"));
        Assert.Equal("prod", At(doc, "metadata", "namespace"));
        Assert.Equal("b", At(doc, "spec", "labels", "team"));
        Assert.Equal("ops", At(doc, "spec", "annotations", "owner"));
    }

    [Fact]
    public async Task Generate_Regex_SelectsFunctions()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("generate", "--regex", "^ec");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("echo", At(Assert.Single(Documents(result.Out)), "metadata", "name"));
    }

    [Fact]
    public async Task Generate_InvalidNamespace_IsAUsageError()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("generate", "-n", "Not_Valid");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--namespace", result.Err);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Generate_UnsupportedApi_IsAUsageError()
    {
        using var runner = Runner();

        var result = await runner.RunAsync("generate", "--api", "serving.knative.dev/v1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--api 'serving.knative.dev/v1' is not supported", result.Err);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Generate_NoStackFile_ExitsOne()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("generate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no stack file found", result.Err);
    }
}
