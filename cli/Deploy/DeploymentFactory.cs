using Faas.Cli.Build;
using Faas.Cli.Stack;
using Faas.Cli.Templates;
using Faas.Contracts.Functions;

namespace Faas.Cli.Deploy;

/// <summary>Command-line values of deploy that add to or override the stack file.</summary>
public sealed record DeployOverrides
{
    public string? Namespace { get; init; }

    public string? FProcess { get; init; }

    public string? Tag { get; init; }

    public bool ReadOnly { get; init; }

    public bool ReadTemplate { get; init; } = true;

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Constraints { get; init; } = [];

    public IReadOnlyList<string> Secrets { get; init; } = [];

    public StackResources? Limits { get; init; }

    public StackResources? Requests { get; init; }
}

/// <summary>Turns a stack function plus flags into the <see cref="FunctionDeployment"/> faas-cli sends.</summary>
public static class DeploymentFactory
{
    public static FunctionDeployment Create(StackFile stack, StackFunction function, DeployOverrides overrides, TemplateStore templates)
    {
        if (string.IsNullOrWhiteSpace(function.Image))
        {
            throw new CommandFailedException($"function '{function.Name}' in {stack.Path}: image is required");
        }

        var environment = StackLoader.ResolveEnvironment(stack, function);
        Merge(environment, overrides.Environment);
        var labels = Merge(new Dictionary<string, string>(function.Labels ?? [], StringComparer.Ordinal), overrides.Labels);
        var annotations = Merge(new Dictionary<string, string>(function.Annotations ?? [], StringComparer.Ordinal), overrides.Annotations);
        var constraints = (function.Constraints ?? []).Concat(overrides.Constraints).Distinct(StringComparer.Ordinal).ToList();
        var secrets = (function.Secrets ?? []).Concat(overrides.Secrets).Distinct(StringComparer.Ordinal).ToList();

        var fprocess = overrides.FProcess;
        if (string.IsNullOrEmpty(fprocess))
        {
            fprocess = function.FProcess;
        }

        if (string.IsNullOrEmpty(fprocess) && overrides.ReadTemplate && !string.IsNullOrEmpty(function.Lang))
        {
            fprocess = templates.Find(function.Lang)?.Manifest.FProcess;
        }

        return new FunctionDeployment
        {
            Service = function.Name,
            Image = ImageTag.Apply(function.Image, overrides.Tag, stack.Directory),
            Namespace = NullIfEmpty(overrides.Namespace) ?? NullIfEmpty(function.Namespace),
            EnvProcess = NullIfEmpty(fprocess),
            EnvVars = environment.Count > 0 ? environment : null,
            Labels = labels.Count > 0 ? labels : null,
            Annotations = annotations.Count > 0 ? annotations : null,
            Constraints = constraints.Count > 0 ? constraints : null,
            Secrets = secrets.Count > 0 ? secrets : null,
            Limits = Resources(function.Limits, overrides.Limits),
            Requests = Resources(function.Requests, overrides.Requests),
            ReadOnlyRootFilesystem = function.ReadonlyRootFilesystem || overrides.ReadOnly,
        };
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string> target, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (key, value) in values)
        {
            target[key] = value;
        }

        return target;
    }

    /// <summary>Flags win per field; null when neither memory nor cpu is set, as faas-cli omits them.</summary>
    private static FunctionResources? Resources(StackResources? stack, StackResources? flags)
    {
        var memory = NullIfEmpty(flags?.Memory) ?? NullIfEmpty(stack?.Memory);
        var cpu = NullIfEmpty(flags?.Cpu) ?? NullIfEmpty(stack?.Cpu);
        return memory is null && cpu is null ? null : new FunctionResources { Memory = memory, Cpu = cpu };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
