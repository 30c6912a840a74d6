using System.Reflection;
using Faas.Contracts.Naming;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Faas.Cli.Stack;

/// <summary>
/// Reads stack.yml: env substitution, then a key check that names every unknown key with its line
/// and function (all errors at once), then typed deserialization and the OpenFaaS rules
/// (provider <c>openfaas</c>, version <c>1.0</c>, DNS-1123 function names).
/// </summary>
public static class StackLoader
{
    public static readonly string[] DefaultFileNames = ["stack.yml", "stack.yaml"];

    /// <summary>Provider names accepted in <c>provider.name</c>: OpenFaaS's and our own.</summary>
    public static readonly string[] ValidProviders = ["openfaas", "faas"];

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .IgnoreUnmatchedProperties() // unknown keys are reported with their line by CheckKeys first
        .Build();

    /// <summary>
    /// The stack file to use: <paramref name="explicitPath"/> (which must exist), else stack.yml or
    /// stack.yaml in <paramref name="currentDirectory"/>, else null.
    /// </summary>
    public static string? Locate(string? explicitPath, string currentDirectory)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            var path = Path.GetFullPath(explicitPath, currentDirectory);
            return File.Exists(path) ? path : throw new CommandFailedException($"stack file not found: {path}");
        }

        return DefaultFileNames.Select(name => Path.Combine(currentDirectory, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>Like <see cref="Locate"/> but a missing file is an error that says what to pass.</summary>
    public static string LocateRequired(string? explicitPath, string currentDirectory) =>
        Locate(explicitPath, currentDirectory)
        ?? throw new CommandFailedException($"no stack file found: pass -f <file>, or create stack.yml in {currentDirectory} (faas-cli new NAME --lang csharp)");

    public static StackFile Load(string path, Func<string, string?> environment, bool envsubst = true)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new CommandFailedException($"cannot read stack file {path}: {ex.Message}", ex);
        }

        return Parse(text, Path.GetFullPath(path), environment, envsubst);
    }

    public static StackFile Parse(string text, string path, Func<string, string?> environment, bool envsubst = true)
    {
        if (envsubst)
        {
            text = EnvSubstitution.Apply(text, environment);
        }

        var errors = new List<string>();
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw Invalid(path, [$"line {ex.Start.Line}: {Describe(ex)}"]);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw Invalid(path, ["the file is empty or not a YAML mapping (expected version, provider and functions)"]);
        }

        CheckKeys(root, typeof(StackFile), "at the top level", errors);
        if (errors.Count > 0)
        {
            throw Invalid(path, errors);
        }

        StackFile stack;
        try
        {
            // MergingParser: YAML merge keys (<<: *defaults) work as they do in faas-cli (go-yaml).
            stack = Deserializer.Deserialize<StackFile?>(new MergingParser(new Parser(new StringReader(text)))) ?? new StackFile();
        }
        catch (YamlException ex)
        {
            throw Invalid(path, [$"line {ex.Start.Line}: {Describe(ex)}"]);
        }

        stack.Path = path;
        stack.Functions ??= new(StringComparer.Ordinal);
        foreach (var (name, function) in stack.Functions.ToList())
        {
            var value = function ?? new StackFunction();
            value.Name = name;
            stack.Functions[name] = value;
        }

        Validate(stack, root, errors);
        if (errors.Count > 0)
        {
            throw Invalid(path, errors);
        }

        return stack;
    }

    /// <summary>
    /// <c>provider.gateway</c> of the stack file, for commands that only need the gateway; a missing
    /// or unreadable file gives null rather than an error, as faas-cli does.
    /// </summary>
    public static string? TryReadGateway(string? explicitPath, string currentDirectory, Func<string, string?> environment, bool envsubst = true)
    {
        try
        {
            var path = Locate(explicitPath, currentDirectory);
            return path is null ? null : Load(path, environment, envsubst).Provider?.Gateway;
        }
        catch (CliException) when (string.IsNullOrEmpty(explicitPath))
        {
            return null;
        }
    }

    /// <summary>Environment of a function: its environment_file entries (later files win) over its inline environment.</summary>
    public static Dictionary<string, string> ResolveEnvironment(StackFile stack, StackFunction function)
    {
        var result = new Dictionary<string, string>(function.Environment ?? [], StringComparer.Ordinal);
        foreach (var file in function.EnvironmentFile ?? [])
        {
            var path = Path.GetFullPath(file, stack.Directory);
            if (!File.Exists(path))
            {
                throw new CommandFailedException($"environment_file '{file}' of function '{function.Name}' not found: {path}");
            }

            EnvironmentFile? parsed;
            try
            {
                parsed = Deserializer.Deserialize<EnvironmentFile?>(File.ReadAllText(path));
            }
            catch (YamlException ex)
            {
                throw new CommandFailedException($"{path}:{ex.Start.Line}: {Describe(ex)} (an environment_file holds a top-level 'environment:' map)", ex);
            }

            foreach (var (key, value) in parsed?.Environment ?? [])
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static void Validate(StackFile stack, YamlMappingNode root, List<string> errors)
    {
        if (stack.Version is { } version && version != "1.0")
        {
            errors.Add($"version '{version}' is not supported: use version: 1.0");
        }

        var provider = stack.Provider?.Name;
        if (string.IsNullOrEmpty(provider))
        {
            errors.Add("provider.name is required: use 'openfaas'");
        }
        else if (!ValidProviders.Contains(provider, StringComparer.Ordinal))
        {
            errors.Add($"provider.name '{provider}' is not supported: use 'openfaas'");
        }

        foreach (var function in stack.Functions.Values)
        {
            var line = LineOfFunction(root, function.Name);
            if (FunctionNames.Validate(function.Name) is { } nameError)
            {
                errors.Add($"line {line}: {nameError}");
            }

            if (!string.IsNullOrEmpty(function.Namespace) && FunctionNames.Validate(function.Namespace, $"namespace of function '{function.Name}'") is { } nsError)
            {
                errors.Add($"line {line}: {nsError}");
            }
        }
    }

    private static int LineOfFunction(YamlMappingNode root, string name)
    {
        if (root.Children.TryGetValue(new YamlScalarNode("functions"), out var functions) && functions is YamlMappingNode map)
        {
            foreach (var key in map.Children.Keys)
            {
                if (key is YamlScalarNode { Value: var value } && value == name)
                {
                    return (int)key.Start.Line;
                }
            }
        }

        return 0;
    }

    /// <summary>Walks the YAML tree against the schema types, reporting each unknown key with its line.</summary>
    private static void CheckKeys(YamlMappingNode node, Type schema, string where, List<string> errors)
    {
        var members = MembersOf(schema);
        foreach (var (keyNode, value) in node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            if (key == "<<")
            {
                // A merge key: check an inline mapping against the same schema; aliases were checked where anchored.
                if (value is YamlMappingNode merged)
                {
                    CheckKeys(merged, schema, where, errors);
                }

                continue;
            }

            if (schema == typeof(StackFile) && key.StartsWith("x-", StringComparison.Ordinal))
            {
                continue; // extension fields (x-defaults: &defaults ...), as in docker-compose files
            }

            if (!members.TryGetValue(key, out var property))
            {
                errors.Add($"line {keyNode.Start.Line}: unknown key '{key}' {where}; valid keys: {string.Join(", ", members.Keys)}");
                continue;
            }

            CheckValue(key, value, property.PropertyType, where, errors);
        }
    }

    private static void CheckValue(string key, YamlNode value, Type type, string where, List<string> errors)
    {
        if (type == typeof(StackProvider) || type == typeof(StackConfiguration) || type == typeof(StackResources))
        {
            if (value is YamlMappingNode map)
            {
                var inner = type == typeof(StackResources) ? $"in '{key}' {where}" : $"in '{key}'";
                CheckKeys(map, type, inner, errors);
            }
        }
        else if (type == typeof(Dictionary<string, StackFunction>) && value is YamlMappingNode functions)
        {
            foreach (var (nameNode, function) in functions.Children)
            {
                if (function is YamlMappingNode functionMap)
                {
                    CheckKeys(functionMap, typeof(StackFunction), $"in function '{(nameNode as YamlScalarNode)?.Value}'", errors);
                }
            }
        }
        else if (type == typeof(List<StackTemplateSource>) && value is YamlSequenceNode templates)
        {
            foreach (var template in templates.Children.OfType<YamlMappingNode>())
            {
                CheckKeys(template, typeof(StackTemplateSource), "in 'configuration.templates'", errors);
            }
        }
    }

    private static Dictionary<string, PropertyInfo> MembersOf(Type type) =>
        type.GetProperties()
            .Select(p => (Property: p, Alias: p.GetCustomAttribute<YamlMemberAttribute>()?.Alias))
            .Where(p => p.Alias is not null)
            .ToDictionary(p => p.Alias!, p => p.Property, StringComparer.Ordinal);

    private static string Describe(YamlException ex) =>
        ex.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) ? $"{ex.Message} {inner.Message}" : ex.Message;

    private static CommandFailedException Invalid(string path, IEnumerable<string> errors) =>
        new($"invalid stack file {path}:" + string.Concat(errors.Select(e => Environment.NewLine + "  " + e)));

    internal sealed class EnvironmentFile
    {
        [YamlMember(Alias = "environment")]
        public Dictionary<string, string>? Environment { get; set; }
    }
}
