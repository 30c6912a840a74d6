namespace Faas.Docker.Tests;

public sealed class DockerEndpointTests
{
    [Fact]
    public void Parse_UnixUrl_GivesSocketPath()
    {
        var endpoint = DockerEndpoint.Parse("unix:///run/user/0/docker.sock");

        Assert.Equal(DockerEndpointKind.Unix, endpoint.Kind);
        Assert.Equal("/run/user/0/docker.sock", endpoint.SocketPath);
        Assert.Equal("unix:///run/user/0/docker.sock", endpoint.ToString());
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:2376", "127.0.0.1", 2376)]
    [InlineData("tcp://docker.internal", "docker.internal", 2375)]
    [InlineData("tcp://docker.internal:12375/", "docker.internal", 12375)]
    [InlineData("http://10.0.0.5:2375", "10.0.0.5", 2375)]
    [InlineData("  TCP://host:1  ", "host", 1)]
    public void Parse_TcpUrl_GivesHostAndPort(string value, string host, int port)
    {
        var endpoint = DockerEndpoint.Parse(value);

        Assert.Equal(DockerEndpointKind.Tcp, endpoint.Kind);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("unix://", "absolute socket path")]
    [InlineData("unix://relative.sock", "absolute socket path")]
    [InlineData("tcp://", "not a valid")]
    [InlineData("tcp://host:notaport", "not a valid")]
    [InlineData("ssh://me@host", "unsupported scheme 'ssh'")]
    [InlineData("npipe:////./pipe/docker_engine", "unsupported scheme 'npipe'")]
    [InlineData("/var/run/docker.sock", "unsupported scheme")]
    public void TryParse_Invalid_SaysWhatIsWrong(string value, string expected)
    {
        Assert.False(DockerEndpoint.TryParse(value, out var endpoint, out var error));
        Assert.Null(endpoint);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => DockerEndpoint.Parse(value));
    }

    [Fact]
    public void FromEnvironment_UnsetDockerHost_UsesDefaultSocket()
    {
        var options = DockerClientOptions.FromEnvironment(_ => null);

        Assert.Equal("/var/run/docker.sock", options.Endpoint.SocketPath);
    }

    [Fact]
    public void FromEnvironment_DockerHostSet_UsesIt()
    {
        var options = DockerClientOptions.FromEnvironment(name => name == "DOCKER_HOST" ? "tcp://build-host:2375" : null);

        Assert.Equal(DockerEndpoint.Tcp("build-host"), options.Endpoint);
    }

    [Fact]
    public void FromEnvironment_InvalidDockerHost_Throws()
    {
        var error = Assert.Throws<FormatException>(() => DockerClientOptions.FromEnvironment(_ => "ssh://host"));

        Assert.Contains("DOCKER_HOST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        var options = new DockerClientOptions
        {
            MaxApiVersion = new Version(1, 44),
            RequestTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(-1),
        };

        var errors = options.Validate();

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("MaxApiVersion '1.44'", StringComparison.Ordinal) && e.Contains("1.25 to 1.41", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("RequestTimeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ConnectTimeout", StringComparison.Ordinal));
        var thrown = Assert.Throws<ArgumentException>(() => new DockerClient(options));
        Assert.Contains("MaxApiVersion", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectTimeout", thrown.Message, StringComparison.Ordinal);
    }
}
