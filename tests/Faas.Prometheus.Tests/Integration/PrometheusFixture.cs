using System.Diagnostics;
using Faas.Prometheus.Query;
using Faas.Testing.Prometheus;

namespace Faas.Prometheus.Tests.Integration;

/// <summary>
/// A real Prometheus (the apt package ./test.sh installs, run by the shared
/// <see cref="PrometheusServer"/>) scraping a Kestrel target every second. Each test class gets
/// its own server, registry and job name, so classes run in parallel.
/// </summary>
public sealed class PrometheusFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("faas-prometheus-target-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private ScrapeTarget? _target;
    private PrometheusServer? _server;

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public MetricFactory Factory => Metrics.WithCustomRegistry(Registry);

    public string JobName { get; } = "faas_it_" + Guid.NewGuid().ToString("N")[..8];

    public Uri BaseUri => _server?.BaseUri ?? throw new InvalidOperationException("Prometheus is not running");

    public PrometheusQueryClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            _target = await ScrapeTarget.StartAsync(Registry, _directory);
            _server = await PrometheusServer.StartAsync([_target.Address.Authority], JobName);
            Client = new PrometheusQueryClient(_http, _server.BaseUri);
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed: clean up here.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Evaluates <paramref name="query"/> until its single value satisfies <paramref name="accept"/>,
    /// running <paramref name="beforeEachAttempt"/> first (e.g. to keep a counter moving).
    /// </summary>
    public async Task<double> WaitForValueAsync(string query, Func<double, bool> accept, Action? beforeEachAttempt = null, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var last = "no result yet";
        for (var attempt = 0; attempt < 300 && deadline.Elapsed < limit; attempt++)
        {
            beforeEachAttempt?.Invoke();
            var result = await Client.QueryAsync(query);
            double? value = result switch
            {
                InstantVector { Samples.Count: 1 } vector => vector.Samples[0].Value,
                Scalar scalar => scalar.Value,
                _ => null,
            };
            if (value is { } v && accept(v))
            {
                return v;
            }

            last = value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? result.ToString()!;
            await Task.Delay(250);
        }

        throw new TimeoutException($"'{query}' did not reach the expected value within {limit}; last: {last}. Prometheus log:\n{_server?.Log}");
    }

    public async Task DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }

        if (_target is { } target)
        {
            _target = null;
            await target.DisposeAsync();
        }

        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
