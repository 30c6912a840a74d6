namespace Faas.Docker.Tests.Infrastructure;

/// <summary>Every test that needs a daemon shares one <see cref="DockerDaemonFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerDaemonFixture>
{
    public const string Name = "docker daemon";
}
