using Faas.Contracts.Functions;
using Faas.Contracts.Logs;
using Faas.Controller.Endpoints;
using Faas.Controller.Logs;

namespace Faas.Controller.Backends;

/// <summary>
/// The provider seam: what every backend (process now; Docker and Kubernetes later) implements.
/// Routing, auth, validation of names and namespaces live around it, written once. Namespaces
/// given here are already resolved and allowed; expected failures come back as <see cref="BackendResult"/>.
/// </summary>
public interface IFunctionBackend
{
    /// <summary>Shown as <c>orchestration</c> in <c>/system/info</c>.</summary>
    string Orchestration { get; }

    /// <summary>Ready replicas per function, with change notification (the gateway's routing table).</summary>
    IEndpointSource Endpoints { get; }

    Task<IReadOnlyList<FunctionStatus>> ListAsync(string @namespace, CancellationToken cancellationToken = default);

    Task<FunctionStatus?> GetAsync(string name, string @namespace, CancellationToken cancellationToken = default);

    /// <summary><paramref name="deployment"/> carries its resolved namespace.</summary>
    Task<BackendResult> DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken = default);

    Task<BackendResult> UpdateAsync(FunctionDeployment deployment, CancellationToken cancellationToken = default);

    Task<BackendResult> DeleteAsync(string name, string @namespace, CancellationToken cancellationToken = default);

    Task<BackendResult> ScaleAsync(string name, string @namespace, int replicas, CancellationToken cancellationToken = default);

    /// <summary>The function's log lines in time order; with <see cref="LogQuery.Follow"/> it continues until cancelled.</summary>
    IAsyncEnumerable<LogMessage> ReadLogsAsync(LogQuery query, CancellationToken cancellationToken = default);
}

public enum BackendStatus
{
    Accepted,
    Invalid,
    NotFound,
    Conflict,

    /// <summary>The backend's engine does not answer (503); known functions keep serving.</summary>
    Unavailable,

    /// <summary>The orchestrator refused the action (403), e.g. RBAC; the message is the orchestrator's.</summary>
    Forbidden,
}

/// <summary>Outcome of a change request; <see cref="Message"/> says what to fix when it is not accepted.</summary>
public readonly record struct BackendResult(BackendStatus Status, string Message)
{
    public static BackendResult Accepted { get; } = new(BackendStatus.Accepted, "");

    public static BackendResult Invalid(string message) => new(BackendStatus.Invalid, message);

    public static BackendResult NotFound(string message) => new(BackendStatus.NotFound, message);

    public static BackendResult Conflict(string message) => new(BackendStatus.Conflict, message);

    public static BackendResult Unavailable(string message) => new(BackendStatus.Unavailable, message);

    public static BackendResult Forbidden(string message) => new(BackendStatus.Forbidden, message);
}

/// <summary>
/// Thrown by a backend's reads (list, get) when it cannot answer; the provider API replies with
/// <see cref="Result"/>'s status and message (e.g. 503 while the orchestrator is unreachable).
/// </summary>
public sealed class BackendException(BackendResult result, Exception? inner = null) : Exception(result.Message, inner)
{
    public BackendResult Result { get; } = result;
}
