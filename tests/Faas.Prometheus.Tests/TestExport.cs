using System.Buffers;
using System.Text;

namespace Faas.Prometheus.Tests;

internal static class TestExport
{
    public static async Task<string> ToTextAsync(CollectorRegistry registry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        await registry.CollectAndExportAsTextAsync(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
