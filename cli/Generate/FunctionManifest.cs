using Faas.Cli.Build;
using Faas.Cli.Stack;

namespace Faas.Cli.Generate;

/// <summary>
/// The <c>openfaas.com/v1</c> <c>Function</c> custom resource faas-cli's <c>generate</c> writes for
/// a stack function: metadata name and namespace, spec name, image, environment (inline plus
/// environment_file), labels, annotations, limits, requests, constraints, secrets and
/// readOnlyRootFilesystem, empty fields left out.
/// </summary>
public static class FunctionManifest
{
    public const string ApiVersion = "openfaas.com/v1";
    public const string Kind = "Function";
    public const string DefaultNamespace = "openfaas-fn";

    public sealed record Options(string? Namespace, string? Tag, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

    /// <summary>One YAML document per function, each starting with <c>---</c>.</summary>
    public static string Write(StackFile stack, IEnumerable<StackFunction> functions, Options options)
    {
        var yaml = new YamlText();
        foreach (var function in functions)
        {
            WriteOne(yaml, stack, function, options);
        }

        return yaml.ToString();
    }

    private static void WriteOne(YamlText yaml, StackFile stack, StackFunction function, Options options)
    {
        if (string.IsNullOrWhiteSpace(function.Image))
        {
            throw new CommandFailedException($"function '{function.Name}' in {stack.Path}: image is required");
        }

        // -n wins, then the function's own namespace, then OpenFaaS's default function namespace.
        var @namespace = !string.IsNullOrWhiteSpace(options.Namespace) ? options.Namespace
            : !string.IsNullOrWhiteSpace(function.Namespace) ? function.Namespace
            : DefaultNamespace;

        yaml.Raw("---")
            .Scalar(0, "apiVersion", ApiVersion)
            .Scalar(0, "kind", Kind)
            .Key(0, "metadata")
            .Scalar(2, "name", function.Name)
            .Scalar(2, "namespace", @namespace)
            .Key(0, "spec")
            .Scalar(2, "name", function.Name)
            .Scalar(2, "image", ImageTag.Apply(function.Image, options.Tag, stack.Directory))
            .Map(2, "environment", StackLoader.ResolveEnvironment(stack, function))
            .Map(2, "labels", Merge(function.Labels, options.Labels))
            .Map(2, "annotations", Merge(function.Annotations, options.Annotations));
        Resources(yaml, "limits", function.Limits);
        Resources(yaml, "requests", function.Requests);
        yaml.List(2, "constraints", function.Constraints)
            .List(2, "secrets", function.Secrets);
        if (function.ReadonlyRootFilesystem)
        {
            yaml.Bool(2, "readOnlyRootFilesystem", true);
        }
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string>? stack, IReadOnlyDictionary<string, string> flags)
    {
        var result = new Dictionary<string, string>(stack ?? [], StringComparer.Ordinal);
        foreach (var (key, value) in flags)
        {
            result[key] = value;
        }

        return result;
    }

    private static void Resources(YamlText yaml, string key, StackResources? resources)
    {
        if (resources is null || (string.IsNullOrWhiteSpace(resources.Memory) && string.IsNullOrWhiteSpace(resources.Cpu)))
        {
            return;
        }

        yaml.Key(2, key);
        if (!string.IsNullOrWhiteSpace(resources.Memory))
        {
            yaml.Scalar(4, "memory", resources.Memory);
        }

        if (!string.IsNullOrWhiteSpace(resources.Cpu))
        {
            yaml.Scalar(4, "cpu", resources.Cpu);
        }
    }
}
