namespace Faas.Function;

/// <summary>
/// What a replica knows about itself: its function name and namespace, its configuration
/// (the environment given at deploy time) and its secrets. One instance per replica; a handler
/// may take it in its constructor.
/// </summary>
public sealed class FunctionEnvironment
{
    public FunctionEnvironment(string functionName, string @namespace, IReadOnlyDictionary<string, string> configuration, ISecretStore secrets)
    {
        FunctionName = functionName;
        Namespace = @namespace;
        Configuration = configuration;
        Secrets = secrets;
    }

    public string FunctionName { get; }

    public string Namespace { get; }

    /// <summary>Environment variables of the replica, including the function's <c>envVars</c>.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; }

    public ISecretStore Secrets { get; }

    /// <summary>Reads a configuration value, or <paramref name="fallback"/> when absent.</summary>
    public string? Get(string key, string? fallback = null) =>
        Configuration.TryGetValue(key, out var value) ? value : fallback;
}
