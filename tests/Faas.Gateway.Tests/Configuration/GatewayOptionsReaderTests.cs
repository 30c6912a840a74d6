using Faas.Gateway.Configuration;
using Faas.Gateway.Tests.Fakes;
using Microsoft.Extensions.Configuration;

namespace Faas.Gateway.Tests.Configuration;

public sealed class GatewayOptionsReaderTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Read_OnlyProviderUrl_UsesDocumentedDefaults()
    {
        var options = GatewayOptionsReader.Read(Config(("functions_provider_url", "http://127.0.0.1:8081/")));

        Assert.Equal(8080, options.Port);
        Assert.Equal("127.0.0.1", options.BindAddress);
        Assert.Equal("http://127.0.0.1:8081", options.ProviderPrefix);
        Assert.False(options.BasicAuth);
        Assert.Null(options.Credentials);
        Assert.Equal("/run/secrets/", options.SecretMountPath);
        Assert.Equal("openfaas-fn", options.FunctionNamespace);
        Assert.Equal(TimeSpan.FromSeconds(60), options.UpstreamTimeout);
        Assert.Equal(64L * 1024 * 1024, options.MaxRequestBody);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ReadyWaitTimeout);
        Assert.Equal(1000, options.MaxHeldRequestsPerFunction);
    }

    [Theory]
    [InlineData("1048576", 1048576L)]
    [InlineData("16Mi", 16L * 1024 * 1024)]
    public void Read_MaxRequestBody_TakesBytesOrBinarySuffixes(string text, long expected)
    {
        var options = GatewayOptionsReader.Read(Config(("functions_provider_url", "http://127.0.0.1:8081/"), ("max_request_body", text)));

        Assert.Equal(expected, options.MaxRequestBody);
    }

    [Fact]
    public void Read_WithoutProviderUrl_FailsNamingTheKey()
    {
        var e = Assert.Throws<GatewayOptionsException>(() => GatewayOptionsReader.Read(Config()));

        Assert.Contains(e.Errors, m => m.StartsWith("functions_provider_url is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_ManyBadValues_ReportsEveryErrorAtOnce_WithKeyAndValue()
    {
        var e = Assert.Throws<GatewayOptionsException>(() => GatewayOptionsReader.Read(Config(
            ("port", "70000"),
            ("bind_address", "not-an-ip"),
            ("functions_provider_url", "ftp://x"),
            ("basic_auth", "maybe"),
            ("function_namespace", "Bad_NS"),
            ("upstream_timeout", "0"),
            ("max_request_body", "-5"),
            ("ready_wait_timeout", "soon"),
            ("max_held_requests_per_function", "0"))));

        Assert.Equal(9, e.Errors.Count);
        Assert.Contains(e.Errors, m => m.StartsWith("port='70000'", StringComparison.Ordinal) && m.Contains("[0, 65535]"));
        Assert.Contains(e.Errors, m => m.StartsWith("bind_address='not-an-ip'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("functions_provider_url='ftp://x'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("basic_auth='maybe'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("function_namespace='Bad_NS'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("upstream_timeout='0'", StringComparison.Ordinal) && m.Contains("greater than 0"));
        Assert.Contains(e.Errors, m => m.StartsWith("max_request_body='-5'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("ready_wait_timeout='soon'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("max_held_requests_per_function='0'", StringComparison.Ordinal) && m.Contains("[1, 1000000]"));
        Assert.Contains("port='70000'", e.Message);
    }

    [Theory]
    [InlineData("90", 90_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    public void Read_Durations_AcceptSecondsAndGoDurations(string text, int expectedMs)
    {
        var options = GatewayOptionsReader.Read(Config(("functions_provider_url", "http://c"), ("upstream_timeout", text), ("ready_wait_timeout", text)));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.UpstreamTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options.ReadyWaitTimeout);
    }

    [Fact]
    public void Read_ZeroReadyWait_IsAllowed()
    {
        var options = GatewayOptionsReader.Read(Config(("functions_provider_url", "http://c"), ("ready_wait_timeout", "0")));

        Assert.Equal(TimeSpan.Zero, options.ReadyWaitTimeout);
    }

    [Fact]
    public void Read_BasicAuth_LoadsTrimmedSecrets()
    {
        using var secrets = new SecretFolder("admin", "p4ss");

        var options = GatewayOptionsReader.Read(Config(("functions_provider_url", "http://c"), ("basic_auth", "true"), ("secret_mount_path", secrets.Path)));

        Assert.Equal(new BasicAuthCredentials("admin", "p4ss"), options.Credentials);
        Assert.DoesNotContain("p4ss", options.Credentials!.ToString());
    }

    [Fact]
    public void Read_BasicAuthWithoutSecretFiles_FailsNamingBothFiles()
    {
        var empty = Directory.CreateTempSubdirectory("faas-gw-nosecrets-").FullName;
        try
        {
            var e = Assert.Throws<GatewayOptionsException>(() => GatewayOptionsReader.Read(
                Config(("functions_provider_url", "http://c"), ("basic_auth", "true"), ("secret_mount_path", empty))));

            Assert.Equal(2, e.Errors.Count);
            Assert.Contains(e.Errors, m => m.Contains(Path.Combine(empty, "basic-auth-user")));
            Assert.Contains(e.Errors, m => m.Contains(Path.Combine(empty, "basic-auth-password")));
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void Build_WithInvalidConfiguration_FailsAtStartUp()
    {
        var e = Assert.Throws<GatewayOptionsException>(() => Program.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection([new("port", "x")]);
            b.Logging.ClearProviders();
        }));

        Assert.Contains(e.Errors, m => m.StartsWith("port='x'", StringComparison.Ordinal));
    }
}
