using Microsoft.Extensions.Configuration;

namespace Faas.Charts.Tests.Rendering;

/// <summary>
/// An <see cref="IConfiguration"/> over fixed values that records every key asked for, so a test can
/// tell which keys a component's options reader really reads.
/// </summary>
public sealed class RecordingConfiguration
{
    private readonly RecordingProvider _provider;

    public RecordingConfiguration(IReadOnlyDictionary<string, string> values)
    {
        _provider = new RecordingProvider(values);
        Configuration = new ConfigurationBuilder().Add(new Source(_provider)).Build();
    }

    public IConfiguration Configuration { get; }

    public IReadOnlySet<string> ReadKeys => _provider.Read;

    private sealed class Source(RecordingProvider provider) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
    }

    private sealed class RecordingProvider : ConfigurationProvider
    {
        public RecordingProvider(IReadOnlyDictionary<string, string> values)
        {
            foreach (var (key, value) in values)
            {
                Data[key] = value;
            }
        }

        public HashSet<string> Read { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override bool TryGet(string key, out string? value)
        {
            lock (Read)
            {
                Read.Add(key);
            }

            return base.TryGet(key, out value);
        }
    }
}
