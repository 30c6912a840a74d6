using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Faas.Charts.Tests.Rendering;

/// <summary>The rendered documents, parsed. Empty documents (a template that rendered nothing) are dropped.</summary>
public sealed class Manifests
{
    private Manifests(IReadOnlyList<K8sObject> objects) => Objects = objects;

    public IReadOnlyList<K8sObject> Objects { get; }

    /// <summary>Parses every YAML document; a document that does not parse throws with its position.</summary>
    public static Manifests Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var objects = new List<K8sObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = deserializer.Deserialize<object?>(parser);
            if (document is null)
            {
                continue;
            }

            objects.Add(new K8sObject(Yaml.Map(document, "document")));
        }

        return new Manifests(objects);
    }

    public IEnumerable<K8sObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public K8sObject Single(string kind, string name) =>
        Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} {name} in: {string.Join(", ", Objects.Select(o => $"{o.Kind}/{o.Name}"))}");

    public K8sObject? Find(string kind, string name) => Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name);
}

/// <summary>One Kubernetes object as plain maps, lists and strings (every scalar stays a string).</summary>
public sealed class K8sObject(Dictionary<object, object> raw)
{
    public Dictionary<object, object> Raw { get; } = raw;

    public string ApiVersion => Yaml.Str(Raw, "apiVersion");

    public string Kind => Yaml.Str(Raw, "kind");

    public Dictionary<object, object> Metadata => Yaml.Map(Raw, "metadata");

    public string Name => Yaml.Str(Metadata, "name");

    public string? Namespace => Yaml.OptStr(Metadata, "namespace");

    public Dictionary<object, object> Spec => Yaml.Map(Raw, "spec");

    /// <summary>The pod spec of a Deployment or StatefulSet.</summary>
    public Dictionary<object, object> PodSpec => Yaml.Map(Yaml.Map(Spec, "template"), "spec");

    public Dictionary<object, object> PodLabels => Yaml.Map(Yaml.Map(Yaml.Map(Spec, "template"), "metadata"), "labels");

    public IReadOnlyList<Dictionary<object, object>> Containers => Yaml.Maps(PodSpec, "containers");

    public Dictionary<object, object> Container(string name) =>
        Containers.SingleOrDefault(c => Yaml.Str(c, "name") == name) ?? throw new Xunit.Sdk.XunitException($"{Kind}/{Name} has no container {name}");

    /// <summary>A container's env as name → value (every entry must have a literal value).</summary>
    public IReadOnlyDictionary<string, string> Env(string container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Yaml.Maps(Container(container), "env"))
        {
            var name = Yaml.Str(entry, "name");
            Assert.True(env.TryAdd(name, Yaml.OptStr(entry, "value") ?? ""), $"{Kind}/{Name} sets {name} twice");
        }

        return env;
    }
}

/// <summary>Accessors over YamlDotNet's untyped object graph, failing with the path that was missing.</summary>
public static class Yaml
{
    public static Dictionary<object, object> Map(object? value, string what) =>
        value as Dictionary<object, object> ?? throw new Xunit.Sdk.XunitException($"{what} is not a mapping: {value ?? "null"}");

    public static Dictionary<object, object> Map(Dictionary<object, object> parent, string key) =>
        Map(parent.GetValueOrDefault(key), key);

    public static List<object> List(Dictionary<object, object> parent, string key) =>
        parent.GetValueOrDefault(key) as List<object> ?? throw new Xunit.Sdk.XunitException($"{key} is not a list");

    public static IReadOnlyList<Dictionary<object, object>> Maps(Dictionary<object, object> parent, string key) =>
        parent.TryGetValue(key, out var value) && value is List<object> list ? list.Select(i => Map(i, key + "[]")).ToList() : [];

    public static IReadOnlyList<string> Strings(Dictionary<object, object> parent, string key) =>
        parent.TryGetValue(key, out var value) && value is List<object> list ? list.Select(i => (string)i).ToList() : [];

    public static string Str(Dictionary<object, object> parent, string key) =>
        OptStr(parent, key) ?? throw new Xunit.Sdk.XunitException($"{key} is missing");

    public static string? OptStr(Dictionary<object, object> parent, string key) =>
        parent.GetValueOrDefault(key) switch
        {
            null => null,
            string s => s,
            var other => throw new Xunit.Sdk.XunitException($"{key} is not a scalar: {other}"),
        };

    public static Dictionary<string, string> StringMap(Dictionary<object, object> parent, string key) =>
        parent.TryGetValue(key, out var value) && value is Dictionary<object, object> map
            ? map.ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value)
            : [];
}
