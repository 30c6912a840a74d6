using System.Net;
using Faas.Watchdog.Configuration;

namespace Faas.Watchdog.Tests.Configuration;

public class WatchdogOptionsTests
{
    [Fact]
    public void EmptyConfiguration_GivesDocumentedDefaults()
    {
        Assert.True(WatchdogOptions.TryParse(new Dictionary<string, string>(), out var options, out var errors));

        Assert.Empty(errors);
        Assert.Equal(8080, options.Port);
        Assert.Equal(IPAddress.Any, options.BindAddress);
        Assert.Equal(WatchdogMode.InProc, options.Mode);
        Assert.Equal("/home/app/function/Function.dll", options.HandlerAssembly);
        Assert.Null(options.HandlerType);
        Assert.Equal("function", options.FunctionName);
        Assert.Equal("openfaas-fn", options.FunctionNamespace);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ExecTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.WriteTimeout);
        Assert.Equal(0, options.MaxInflight);
        Assert.Equal(16 * 1024 * 1024, options.MaxRequestBody);
        Assert.Equal(TimeSpan.FromSeconds(1), options.HealthcheckInterval);
        Assert.Equal("/var/openfaas/secrets", options.SecretsPath);
        Assert.False(options.LogTimestamps);
        Assert.Null(options.LockFilePath);
    }

    [Fact]
    public void EveryKey_IsRead()
    {
        var config = new Dictionary<string, string>
        {
            ["port"] = "9090",
            ["bind_address"] = "127.0.0.1",
            ["mode"] = "inproc",
            ["handler_assembly"] = "/srv/fn/Function.dll",
            ["handler_type"] = "Function.Handler",
            ["function_name"] = "echo",
            ["function_namespace"] = "team-a",
            ["exec_timeout"] = "1m30s",
            ["read_timeout"] = "5",
            ["write_timeout"] = "500ms",
            ["max_inflight"] = "4",
            ["max_request_body"] = "2Mi",
            ["healthcheck_interval"] = "0",
            ["secrets_path"] = "/run/secrets/echo",
            ["log_timestamps"] = "true",
            ["lock_file_path"] = "/tmp/echo.lock",
        };

        var options = WatchdogOptions.Parse(config);

        Assert.Equal(9090, options.Port);
        Assert.Equal(IPAddress.Loopback, options.BindAddress);
        Assert.Equal("/srv/fn/Function.dll", options.HandlerAssembly);
        Assert.Equal("Function.Handler", options.HandlerType);
        Assert.Equal("echo", options.FunctionName);
        Assert.Equal("team-a", options.FunctionNamespace);
        Assert.Equal(TimeSpan.FromSeconds(90), options.ExecTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ReadTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.WriteTimeout);
        Assert.Equal(4, options.MaxInflight);
        Assert.Equal(2 * 1024 * 1024, options.MaxRequestBody);
        Assert.Equal(TimeSpan.Zero, options.HealthcheckInterval);
        Assert.Equal("/run/secrets/echo", options.SecretsPath);
        Assert.True(options.LogTimestamps);
        Assert.Equal("/tmp/echo.lock", options.LockFilePath);
    }

    [Fact]
    public void InvalidValues_AreAllReportedAtOnce_EachNamingKeyValueAndRange()
    {
        var config = new Dictionary<string, string>
        {
            ["port"] = "70000",
            ["bind_address"] = "not-an-ip",
            ["exec_timeout"] = "soon",
            ["read_timeout"] = "0",
            ["write_timeout"] = "-1s",
            ["max_inflight"] = "-2",
            ["max_request_body"] = "lots",
            ["healthcheck_interval"] = "1parsec",
            ["log_timestamps"] = "yes",
        };

        Assert.False(WatchdogOptions.TryParse(config, out var options, out var errors));

        Assert.Null(options);
        Assert.Equal(
            ["bind_address", "exec_timeout", "healthcheck_interval", "log_timestamps", "max_inflight", "max_request_body", "port", "read_timeout", "write_timeout"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Equal(config[e.Key], e.Value));
        Assert.Contains("1-65535", Single(errors, "port").Problem);
        Assert.Contains("Go duration", Single(errors, "exec_timeout").Problem);
        Assert.Contains("more than 0", Single(errors, "read_timeout").Problem);
        Assert.Contains("more than 0", Single(errors, "write_timeout").Problem);
        Assert.Contains("Mi", Single(errors, "max_request_body").Problem);
        Assert.Contains("true, false", Single(errors, "log_timestamps").Problem);
    }

    [Fact]
    public void Parse_ThrowsOneExceptionListingEveryError()
    {
        var config = new Dictionary<string, string> { ["port"] = "x", ["exec_timeout"] = "y" };

        var error = Assert.Throws<WatchdogStartupException>(() => WatchdogOptions.Parse(config));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("port='x'", error.Message);
        Assert.Contains("exec_timeout='y'", error.Message);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("streaming")]
    public void ProcessModes_RequireFprocess(string mode)
    {
        Assert.False(WatchdogOptions.TryParse(new Dictionary<string, string> { ["mode"] = mode }, out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal("fprocess", error.Key);
        Assert.Contains($"required in {mode} mode", error.Problem);
    }

    [Fact]
    public void HttpMode_ReadsFprocessAndUpstreamUrl()
    {
        Assert.True(WatchdogOptions.TryParse(
            new Dictionary<string, string> { ["mode"] = "http", ["fprocess"] = "dotnet Root.dll", ["upstream_url"] = "http://127.0.0.1:5000" },
            out var options, out _));

        Assert.Equal(WatchdogMode.Http, options.Mode);
        Assert.Equal("dotnet Root.dll", options.FunctionProcess);
        Assert.Equal(5000, options.UpstreamUrl.Port);
    }

    [Fact]
    public void UpstreamUrl_MustBeAnHttpUrl()
    {
        Assert.False(WatchdogOptions.TryParse(
            new Dictionary<string, string> { ["mode"] = "http", ["fprocess"] = "x", ["upstream_url"] = "ftp://host" }, out _, out var errors));

        Assert.Equal("upstream_url", Assert.Single(errors).Key);
    }

    [Fact]
    public void UnknownMode_IsRejected()
    {
        Assert.False(WatchdogOptions.TryParse(new Dictionary<string, string> { ["mode"] = "afterburn" }, out _, out var errors));

        Assert.Contains("unknown mode", Assert.Single(errors).Problem);
    }

    [Theory]
    [InlineData("1048576", 1048576)]
    [InlineData("512Ki", 512 * 1024)]
    [InlineData("1Gi", 1024 * 1024 * 1024)]
    public void MaxRequestBody_AcceptsBytesAndBinarySuffixes(string text, long expected)
    {
        var options = WatchdogOptions.Parse(new Dictionary<string, string> { ["max_request_body"] = text });

        Assert.Equal(expected, options.MaxRequestBody);
    }

    [Fact]
    public void BlankValues_MeanDefault_AndOtherKeyCasingsAreAccepted()
    {
        var options = WatchdogOptions.Parse(new Dictionary<string, string> { ["exec_timeout"] = " ", ["MAX_INFLIGHT"] = "3" });

        Assert.Equal(TimeSpan.FromSeconds(10), options.ExecTimeout);
        Assert.Equal(3, options.MaxInflight);
    }

    [Fact]
    public void ExecTimeoutZero_MeansNoLimit()
    {
        var options = WatchdogOptions.Parse(new Dictionary<string, string> { ["exec_timeout"] = "0" });

        Assert.Equal(TimeSpan.Zero, options.ExecTimeout);
    }

    [Fact]
    public void Build_WithInvalidConfiguration_FailsBeforeLoadingAnyHandler()
    {
        var config = new Dictionary<string, string> { ["port"] = "-1", ["handler_assembly"] = "/nope/Function.dll" };

        var error = Assert.Throws<WatchdogStartupException>(() => WatchdogApp.Build(config));

        Assert.Contains("port='-1'", error.Message);
    }

    private static OptionError Single(IEnumerable<OptionError> errors, string key) => Assert.Single(errors, e => e.Key == key);
}
