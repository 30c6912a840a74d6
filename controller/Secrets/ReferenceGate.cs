namespace Faas.Controller.Secrets;

/// <summary>
/// Serialises the changes that check references between functions, secrets and namespaces
/// (deploy/update of a function listing secrets, secret delete, namespace delete), so a check
/// cannot be overtaken: a secret cannot vanish between "it exists" and the deploy that uses it.
/// Changes are rare; reads never take it.
/// </summary>
public sealed class ReferenceGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Releaser(_gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
