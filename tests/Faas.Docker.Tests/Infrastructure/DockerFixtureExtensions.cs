namespace Faas.Docker.Tests.Infrastructure;

/// <summary>The shared daemon fixture (tests/Faas.Testing/Docker) with this project's per-test scopes.</summary>
internal static class DockerFixtureExtensions
{
    public static TestResources NewScope(this DockerDaemonFixture fixture) => new(fixture);
}
