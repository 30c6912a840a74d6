using Faas.Controller.Backends.Docker;

namespace Faas.Controller.Tests.Backends.Docker;

public sealed class QuantitiesTests
{
    [Theory]
    [InlineData("128Mi", 128L * 1024 * 1024)]
    [InlineData("1Gi", 1024L * 1024 * 1024)]
    [InlineData("1G", 1_000_000_000L)]
    [InlineData("500k", 500_000L)]
    [InlineData("1048576", 1048576L)]
    public void Memory_KubernetesQuantities_AreBytes(string quantity, long bytes) => Assert.Equal(bytes, Quantities.MemoryBytes(quantity));

    [Theory]
    [InlineData("500m", 500_000_000L)]
    [InlineData("1", 1_000_000_000L)]
    [InlineData("0.25", 250_000_000L)]
    public void Cpu_KubernetesQuantities_AreNanoCpus(string quantity, long nano) => Assert.Equal(nano, Quantities.NanoCpus(quantity));

    [Theory]
    [InlineData("lots")]
    [InlineData("-1Mi")]
    [InlineData("0")]
    public void Invalid_AreRejected(string quantity)
    {
        Assert.False(Quantities.TryMemory(quantity, out _));
        Assert.False(Quantities.TryCpu(quantity, out _));
    }
}
