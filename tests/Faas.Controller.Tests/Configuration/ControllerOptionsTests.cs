using Faas.Controller.Configuration;
using Microsoft.Extensions.Configuration;

namespace Faas.Controller.Tests.Configuration;

public sealed class ControllerOptionsTests
{
    private static ControllerOptions Load(params (string Key, string Value)[] values) =>
        ControllerOptions.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        var options = Load();

        Assert.Equal(8081, options.Port);
        Assert.Equal("127.0.0.1", options.BindAddress);
        Assert.False(options.BasicAuth);
        Assert.Equal("openfaas-fn", options.FunctionNamespace);
        Assert.Equal("process", options.Backend);
        Assert.Equal(ControllerOptions.DefaultStateDir, options.StateDir);
        Assert.Equal("dotnet", options.DotnetPath);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ReplicaStartupTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReplicaDrainTimeout);
    }

    [Fact]
    public void Values_AreParsed_IncludingGoDurations()
    {
        using var dir = new TempDir();
        var options = Load(
            ("port", "9000"),
            ("bind_address", "0.0.0.0"),
            ("basic_auth", "true"),
            ("state_dir", dir.Combine("s")),
            ("artifact_store", dir.Combine("a")),
            ("replica_startup_timeout", "1m30s"),
            ("replica_drain_timeout", "5"));

        Assert.Equal(9000, options.Port);
        Assert.Equal("0.0.0.0", options.BindAddress);
        Assert.True(options.BasicAuth);
        Assert.Equal(dir.Combine("s"), options.StateDir);
        Assert.Equal(dir.Combine("a"), options.ArtifactStore);
        Assert.Equal(TimeSpan.FromSeconds(90), options.ReplicaStartupTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ReplicaDrainTimeout);
    }

    [Fact]
    public void InvalidValues_AreAllReported_WithKeyValueAndRange()
    {
        var e = Assert.Throws<ControllerOptionsException>(() => Load(
            ("port", "70000"),
            ("bind_address", "not an address"),
            ("basic_auth", "yes please"),
            ("function_namespace", "Bad_NS"),
            ("backend", "nomad"),
            ("watchdog_path", "/nonexistent/Faas.Watchdog.dll"),
            ("replica_startup_timeout", "soon"),
            ("replica_drain_timeout", "-1s")));

        Assert.Equal(8, e.Errors.Count);
        Assert.Contains(e.Errors, m => m.Contains("port '70000'", StringComparison.Ordinal) && m.Contains("0 to 65535", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("bind_address 'not an address'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("basic_auth 'yes please'", StringComparison.Ordinal) && m.Contains("true or false", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("function_namespace 'Bad_NS'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("backend 'nomad' is not supported", StringComparison.Ordinal) && m.Contains("process, docker, kubernetes", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("watchdog_path '/nonexistent/Faas.Watchdog.dll'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("replica_startup_timeout 'soon'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.Contains("replica_drain_timeout '-1s'", StringComparison.Ordinal) && m.Contains("0s to 10m0s", StringComparison.Ordinal));
        Assert.Contains("port '70000'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KubeSystem_CannotBeTheFunctionNamespace()
    {
        var e = Assert.Throws<ControllerOptionsException>(() => Load(("function_namespace", "kube-system")));

        Assert.Contains("kube-system", Assert.Single(e.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void BasicAuth_WithoutSecretFiles_FailsStartupNamingTheFolder()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<ControllerOptionsException>(() => Program.Build(["--port=0", "--basic_auth=true", "--secret_mount_path=" + dir.Path, "--state_dir=" + dir.Combine("s")]));

        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, m => m.Contains("basic-auth-user", StringComparison.Ordinal) && m.Contains(dir.Path, StringComparison.Ordinal));
    }
}
