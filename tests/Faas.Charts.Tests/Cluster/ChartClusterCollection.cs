using Faas.Testing.Kubernetes;

namespace Faas.Charts.Tests.Cluster;

/// <summary>One control plane for every test that applies the chart (starting one costs several seconds).</summary>
[CollectionDefinition(Name)]
public sealed class ChartClusterCollection : ICollectionFixture<KubernetesControlPlaneFixture>
{
    public const string Name = "chart-cluster";
}
