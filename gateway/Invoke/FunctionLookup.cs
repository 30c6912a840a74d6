using System.Collections.Concurrent;
using Faas.Gateway.Endpoints;
using Faas.Gateway.Provider;

namespace Faas.Gateway.Invoke;

/// <summary>
/// Asks the controller about a function the routing table does not know yet (it may lag a deploy
/// that just returned). Concurrent questions about one function share a single call, and
/// "not found" answers are remembered for <see cref="NegativeTtl"/> so unknown names cannot turn
/// into a stream of controller calls.
/// </summary>
public sealed class FunctionLookup(ProviderClient provider, TimeProvider time)
{
    public static readonly TimeSpan NegativeTtl = TimeSpan.FromSeconds(1);
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<FunctionKey, long> _notFoundUntil = new();
    private readonly ConcurrentDictionary<FunctionKey, Task<ProviderResult<LookupOutcome>>> _inFlight = new();

    public async ValueTask<ProviderResult<LookupOutcome>> LookupAsync(FunctionKey key, CancellationToken cancellationToken = default)
    {
        if (_notFoundUntil.TryGetValue(key, out var until) && time.GetTimestamp() < until)
        {
            return new(LookupOutcome.NotFound, null);
        }

        var mine = new TaskCompletionSource<ProviderResult<LookupOutcome>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _inFlight.GetOrAdd(key, mine.Task);
        if (shared == mine.Task)
        {
            _ = FetchAsync(key, mine);
        }

        return await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FetchAsync(FunctionKey key, TaskCompletionSource<ProviderResult<LookupOutcome>> completion)
    {
        // Not tied to the first caller's token: other callers may be waiting for the answer.
        var result = await provider.LookupFunctionAsync(key.Name, key.Namespace).ConfigureAwait(false);
        if (result.Value == LookupOutcome.NotFound)
        {
            if (_notFoundUntil.Count >= MaxRemembered)
            {
                _notFoundUntil.Clear();
            }

            _notFoundUntil[key] = time.GetTimestamp() + (long)(NegativeTtl.TotalSeconds * time.TimestampFrequency);
        }
        else
        {
            _notFoundUntil.TryRemove(key, out _);
        }

        _inFlight.TryRemove(new KeyValuePair<FunctionKey, Task<ProviderResult<LookupOutcome>>>(key, completion.Task));
        completion.SetResult(result);
    }
}
