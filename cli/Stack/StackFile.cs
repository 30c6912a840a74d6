using YamlDotNet.Serialization;

namespace Faas.Cli.Stack;

/// <summary>stack.yml, as OpenFaaS's <c>go-sdk/stack/schema.go</c>.</summary>
public sealed class StackFile
{
    [YamlMember(Alias = "version")]
    public string? Version { get; set; }

    [YamlMember(Alias = "provider")]
    public StackProvider? Provider { get; set; }

    [YamlMember(Alias = "functions")]
    public Dictionary<string, StackFunction> Functions { get; set; } = new(StringComparer.Ordinal);

    [YamlMember(Alias = "configuration")]
    public StackConfiguration? Configuration { get; set; }

    /// <summary>Absolute path of the file this was read from (not part of the YAML).</summary>
    [YamlIgnore]
    public string Path { get; set; } = "";

    /// <summary>Folder of <see cref="Path"/>: handler, environment_file and template paths are relative to it.</summary>
    [YamlIgnore]
    public string Directory => System.IO.Path.GetDirectoryName(Path) ?? ".";
}

public sealed class StackProvider
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "gateway")]
    public string? Gateway { get; set; }

    /// <summary>Deprecated in OpenFaaS; accepted and ignored.</summary>
    [YamlMember(Alias = "network")]
    public string? Network { get; set; }
}

public sealed class StackFunction
{
    /// <summary>The key under <c>functions:</c> (not part of the YAML value).</summary>
    [YamlIgnore]
    public string Name { get; set; } = "";

    [YamlMember(Alias = "lang")]
    public string? Lang { get; set; }

    [YamlMember(Alias = "handler")]
    public string? Handler { get; set; }

    [YamlMember(Alias = "image")]
    public string? Image { get; set; }

    [YamlMember(Alias = "fprocess")]
    public string? FProcess { get; set; }

    [YamlMember(Alias = "namespace")]
    public string? Namespace { get; set; }

    [YamlMember(Alias = "environment")]
    public Dictionary<string, string>? Environment { get; set; }

    [YamlMember(Alias = "environment_file")]
    public List<string>? EnvironmentFile { get; set; }

    [YamlMember(Alias = "secrets")]
    public List<string>? Secrets { get; set; }

    [YamlMember(Alias = "skip_build")]
    public bool SkipBuild { get; set; }

    [YamlMember(Alias = "constraints")]
    public List<string>? Constraints { get; set; }

    [YamlMember(Alias = "labels")]
    public Dictionary<string, string>? Labels { get; set; }

    [YamlMember(Alias = "annotations")]
    public Dictionary<string, string>? Annotations { get; set; }

    [YamlMember(Alias = "limits")]
    public StackResources? Limits { get; set; }

    [YamlMember(Alias = "requests")]
    public StackResources? Requests { get; set; }

    [YamlMember(Alias = "readonly_root_filesystem")]
    public bool ReadonlyRootFilesystem { get; set; }

    /// <summary>For .NET handlers these become MSBuild properties (<c>-p:KEY=VALUE</c>).</summary>
    [YamlMember(Alias = "build_args")]
    public Dictionary<string, string>? BuildArgs { get; set; }

    [YamlMember(Alias = "build_options")]
    public List<string>? BuildOptions { get; set; }

    /// <summary>BuildKit secrets in OpenFaaS; accepted and ignored by the process backend.</summary>
    [YamlMember(Alias = "build_secrets")]
    public Dictionary<string, string>? BuildSecrets { get; set; }

    /// <summary>For <c>publish</c> in OpenFaaS; accepted and ignored.</summary>
    [YamlMember(Alias = "platforms")]
    public string? Platforms { get; set; }
}

public sealed class StackResources
{
    [YamlMember(Alias = "memory")]
    public string? Memory { get; set; }

    [YamlMember(Alias = "cpu")]
    public string? Cpu { get; set; }
}

public sealed class StackConfiguration
{
    [YamlMember(Alias = "templates")]
    public List<StackTemplateSource>? Templates { get; set; }

    [YamlMember(Alias = "copy")]
    public List<string>? Copy { get; set; }
}

public sealed class StackTemplateSource
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "source")]
    public string? Source { get; set; }
}
