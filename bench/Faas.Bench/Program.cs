using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Async throughput benchmark (issue #4): POSTs N calls to /async-function/{function} with bounded
// concurrency, each with X-Call-Id "b<i>" and X-Callback-Url pointing at a callback receiver hosted
// here (Kestrel on 127.0.0.1:0), and measures accepted/s, completed-with-callback/s and the
// POST -> callback latency. Results go to stdout as "key=value" lines for bench/async.sh.
//
// Usage: Faas.Bench --gateway http://127.0.0.1:8080 [--function echo] [--n 10000]
//                   [--concurrency 64] [--timeout 600] [--warmup 50]
var options = Options.Parse(args);
var inv = CultureInfo.InvariantCulture;

var state = new CallbackState(options.N, options.Warmup);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
var app = builder.Build();
app.MapPost("/cb/{kind}/{index:int}", async (HttpContext context, string kind, int index) =>
{
    var now = Stopwatch.GetTimestamp();
    // Drain the body so the connection can be reused.
    await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
    var status = context.Request.Headers["X-Function-Status"].ToString();
    state.Record(kind == "w", index, now, status);
    return Results.Ok();
});
await app.StartAsync();
var receiver = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
Console.Error.WriteLine($"bench: callback receiver on {receiver}");

using var http = new HttpClient(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    MaxConnectionsPerServer = options.Concurrency,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
})
{
    Timeout = TimeSpan.FromSeconds(60),
};
var target = new Uri($"{options.Gateway.TrimEnd('/')}/async-function/{options.Function}");
var body = "ping"u8.ToArray();

// Warm-up: a few calls end to end (JIT, connections, consumer), not measured.
if (options.Warmup > 0)
{
    var warmStart = Stopwatch.GetTimestamp();
    await Parallel.ForEachAsync(Enumerable.Range(0, options.Warmup), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
    {
        _ = await PostAsync(http, target, body, $"w{i}-{Environment.ProcessId}", $"{receiver}/cb/w/{i}", ct);
    });
    var warmDeadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
    while (state.WarmReceived < options.Warmup && Stopwatch.GetTimestamp() < warmDeadline)
    {
        await Task.Delay(50);
    }

    Console.Error.WriteLine($"bench: warm-up {state.WarmReceived}/{options.Warmup} callbacks in {Stopwatch.GetElapsedTime(warmStart).TotalSeconds:0.00} s");
}

var sent = new long[options.N];
var acceptedAt = new long[options.N];
var statuses = new int[options.N];
var runId = Guid.NewGuid().ToString("N")[..8];
var start = Stopwatch.GetTimestamp();
await Parallel.ForEachAsync(Enumerable.Range(0, options.N), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (i, ct) =>
{
    sent[i] = Stopwatch.GetTimestamp();
    statuses[i] = await PostAsync(http, target, body, $"b{i}-{runId}", $"{receiver}/cb/b/{i}", ct);
    acceptedAt[i] = Stopwatch.GetTimestamp();
});
var acceptedEnd = Stopwatch.GetTimestamp();
var accepted = statuses.Count(s => s == 202);
Console.Error.WriteLine($"bench: {accepted}/{options.N} accepted (202) in {Stopwatch.GetElapsedTime(start, acceptedEnd).TotalSeconds:0.00} s; waiting for callbacks");

// Wait (bounded) for a callback of every accepted call, then a short grace period for duplicates.
var deadline = start + (long)(Stopwatch.Frequency * options.TimeoutSeconds);
var nextReport = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
while (state.Received < accepted && Stopwatch.GetTimestamp() < deadline)
{
    await Task.Delay(50);
    if (Stopwatch.GetTimestamp() >= nextReport)
    {
        Console.Error.WriteLine($"bench: {state.Received}/{accepted} callbacks after {Stopwatch.GetElapsedTime(start).TotalSeconds:0} s");
        nextReport += Stopwatch.Frequency * 10;
    }
}

var timedOut = state.Received < accepted;
await Task.Delay(TimeSpan.FromSeconds(2));
await app.StopAsync();

var latencies = new List<double>(options.N);
long lastCallback = start;
for (var i = 0; i < options.N; i++)
{
    var at = state.FirstArrival(i);
    if (at != 0)
    {
        latencies.Add((at - sent[i]) * 1000.0 / Stopwatch.Frequency);
        lastCallback = Math.Max(lastCallback, at);
    }
}

latencies.Sort();
var acceptSeconds = Stopwatch.GetElapsedTime(start, acceptedEnd).TotalSeconds;
var completeSeconds = Stopwatch.GetElapsedTime(start, lastCallback).TotalSeconds;
var acceptLatencies = Enumerable.Range(0, options.N).Where(i => statuses[i] == 202)
    .Select(i => (acceptedAt[i] - sent[i]) * 1000.0 / Stopwatch.Frequency).Order().ToList();
var otherStatuses = statuses.Where(s => s != 202).GroupBy(s => s).OrderBy(g => g.Key)
    .Select(g => $"{(g.Key == 0 ? "error" : g.Key.ToString(inv))}x{g.Count()}");

void Put(string key, object value) => Console.WriteLine(string.Create(inv, $"{key}={value}"));
Put("n", options.N);
Put("concurrency", options.Concurrency);
Put("accepted", accepted);
Put("rejected", string.Join(",", otherStatuses) is { Length: > 0 } r ? r : "none");
Put("accept_seconds", acceptSeconds.ToString("0.000", inv));
Put("accepted_per_s", (accepted / acceptSeconds).ToString("0", inv));
Put("accept_p50_ms", Percentile(acceptLatencies, 50).ToString("0.0", inv));
Put("accept_p99_ms", Percentile(acceptLatencies, 99).ToString("0.0", inv));
Put("callbacks", state.Received);
Put("complete_seconds", completeSeconds.ToString("0.000", inv));
Put("completed_per_s", (state.Received / completeSeconds).ToString("0", inv));
Put("latency_p50_ms", Percentile(latencies, 50).ToString("0", inv));
Put("latency_p99_ms", Percentile(latencies, 99).ToString("0", inv));
Put("latency_max_ms", (latencies.Count > 0 ? latencies[^1] : double.NaN).ToString("0", inv));
Put("duplicates", state.Duplicates);
Put("missing", accepted - state.Received);
Put("non_200_callbacks", state.Non200);
Put("timed_out", timedOut ? "yes" : "no");
return timedOut ? 2 : 0;

static async Task<int> PostAsync(HttpClient http, Uri target, byte[] body, string callId, string callback, CancellationToken ct)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
    request.Headers.TryAddWithoutValidation("X-Call-Id", callId);
    request.Headers.TryAddWithoutValidation("X-Callback-Url", callback);
    try
    {
        using var response = await http.SendAsync(request, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return (int)response.StatusCode;
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
    {
        Console.Error.WriteLine($"bench: POST {callId} failed: {e.Message}");
        return 0;
    }
}

static double Percentile(List<double> sorted, int p)
{
    if (sorted.Count == 0)
    {
        return double.NaN;
    }

    var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
}

internal sealed class CallbackState(int n, int warmup)
{
    private readonly long[] _first = new long[n];
    private readonly int[] _count = new int[n];
    private readonly int[] _warm = new int[Math.Max(warmup, 1)];
    private int _received;
    private int _warmReceived;
    private int _duplicates;
    private int _non200;

    public int Received => Volatile.Read(ref _received);

    public int WarmReceived => Volatile.Read(ref _warmReceived);

    public int Duplicates => Volatile.Read(ref _duplicates);

    public int Non200 => Volatile.Read(ref _non200);

    public long FirstArrival(int index) => Volatile.Read(ref _first[index]);

    public void Record(bool warm, int index, long timestamp, string functionStatus)
    {
        if (warm)
        {
            if ((uint)index < (uint)_warm.Length && Interlocked.Increment(ref _warm[index]) == 1)
            {
                Interlocked.Increment(ref _warmReceived);
            }

            return;
        }

        if ((uint)index >= (uint)_first.Length)
        {
            return;
        }

        if (functionStatus != "200")
        {
            Interlocked.Increment(ref _non200);
        }

        if (Interlocked.Increment(ref _count[index]) == 1)
        {
            Volatile.Write(ref _first[index], timestamp);
            Interlocked.Increment(ref _received);
        }
        else
        {
            Interlocked.Increment(ref _duplicates);
        }
    }
}

internal sealed record Options(string Gateway, string Function, int N, int Concurrency, double TimeoutSeconds, int Warmup)
{
    public static Options Parse(string[] args)
    {
        string gateway = "http://127.0.0.1:8080", function = "echo";
        int n = 10_000, concurrency = 64, warmup = 50;
        double timeout = 600;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--gateway": gateway = value; break;
                case "--function": function = value; break;
                case "--n": n = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--timeout": timeout = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        return new Options(gateway, function, n, concurrency, timeout, warmup);
    }
}
