namespace Faas.Kubernetes.Tests.Infrastructure;

/// <summary>Every test that needs the API server shares one control plane for the whole assembly.</summary>
[CollectionDefinition(Name)]
public sealed class KubernetesCollection : ICollectionFixture<KubernetesControlPlaneFixture>
{
    public const string Name = "kubernetes control plane";
}

/// <summary>Bounds a test in time: every awaited call gets this token.</summary>
internal static class Deadline
{
    public static CancellationTokenSource Seconds(int seconds) => new(TimeSpan.FromSeconds(seconds));
}
