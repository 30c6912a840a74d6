using Faas.Kubernetes;

namespace Faas.Controller.Backends.Kubernetes;

/// <summary>Maps the API server's answers to the provider API's: the server's own message reaches the user.</summary>
internal static class KubernetesErrors
{
    public static BackendResult ToResult(KubernetesException e, string what) => e switch
    {
        KubernetesForbiddenException => BackendResult.Forbidden($"{what}: the Kubernetes API refused: {e.ServerMessage ?? e.Message}"),
        KubernetesUnauthorizedException => BackendResult.Unavailable($"{what}: the Kubernetes API did not accept the controller's credentials: {e.ServerMessage ?? e.Message}"),
        KubernetesUnavailableException => BackendResult.Unavailable($"{what}: the Kubernetes API server is unreachable: {e.Message}"),
        KubernetesNotFoundException => BackendResult.NotFound($"{what}: {e.ServerMessage ?? e.Message}"),
        KubernetesConflictException => BackendResult.Conflict($"{what}: {e.ServerMessage ?? e.Message}"),
        KubernetesInvalidException => BackendResult.Invalid($"{what}: {e.ServerMessage ?? e.Message}"),
        _ => BackendResult.Unavailable($"{what}: the Kubernetes API failed: {e.Message}"),
    };

    /// <summary>Runs a read; an API failure becomes a <see cref="BackendException"/> the provider API answers with.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, string what = "kubernetes")
    {
        try
        {
            return await read();
        }
        catch (KubernetesException e)
        {
            throw new BackendException(ToResult(e, what), e);
        }
    }
}
