namespace Faas.Kubernetes;

/// <summary>Supplies the bearer token for each request, so a rotated token is picked up without a restart.</summary>
public interface ITokenSource
{
    /// <summary>The current token; cheap when nothing changed.</summary>
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>Called after the server answered 401: the next <see cref="GetTokenAsync"/> reads afresh.</summary>
    void Invalidate();
}
