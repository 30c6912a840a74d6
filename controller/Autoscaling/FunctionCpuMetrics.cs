using Faas.Controller.Backends;
using Faas.Prometheus;

namespace Faas.Controller.Autoscaling;

/// <summary>
/// <c>function_cpu_seconds_total{function_name, replica}</c> on the controller's <c>GET /metrics</c>:
/// CPU time of each replica process, read from <c>/proc</c> at scrape time. The autoscaler's cpu
/// type queries its rate (milli-CPU); one series per replica so a replica exiting is a series
/// ending, not a counter going down.
/// </summary>
public sealed class FunctionCpuMetrics
{
    public const string MetricName = "function_cpu_seconds_total";
    public const string Path = "/metrics";

    private readonly IReplicaProcesses? _processes;
    private readonly Func<int, double?> _read;
    private readonly Counter _cpu;
    private readonly Lock _sync = new();
    private HashSet<(string Function, string Replica)> _exposed = [];

    public FunctionCpuMetrics(IFunctionBackend backend)
        : this(backend as IReplicaProcesses, pid => ProcCpuReader.ReadSeconds(pid))
    {
    }

    /// <summary>Tests pass the process list and the reader.</summary>
    public FunctionCpuMetrics(IReplicaProcesses? processes, Func<int, double?> read)
    {
        _processes = processes;
        _read = read;
        Registry = new CollectorRegistry();
        _cpu = Metrics.WithCustomRegistry(Registry).CreateCounter(
            MetricName, "CPU seconds used by a function replica (watchdog and function process).", "function_name", "replica");
        Registry.AddBeforeCollectCallback(Refresh);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Reads every replica's CPU time; drops the series of replicas that are gone.</summary>
    private void Refresh()
    {
        if (_processes is null)
        {
            return;
        }

        lock (_sync)
        {
            var now = new HashSet<(string, string)>();
            foreach (var p in _processes.ListReplicaProcesses())
            {
                if (_read(p.Pid) is { } seconds)
                {
                    _cpu.WithLabels(p.Function, p.Replica).IncTo(seconds);
                    now.Add((p.Function, p.Replica));
                }
            }

            foreach (var (function, replica) in _exposed)
            {
                if (!now.Contains((function, replica)))
                {
                    _cpu.RemoveLabelled(function, replica);
                }
            }

            _exposed = now;
        }
    }
}
