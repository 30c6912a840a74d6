using System.Net;

namespace Faas.Kubernetes;

/// <summary>
/// The root of every failure the Kubernetes client reports. Catch a leaf to react to one cause
/// (<see cref="KubernetesNotFoundException"/>, <see cref="KubernetesForbiddenException"/>, ...).
/// </summary>
public abstract class KubernetesException : Exception
{
    private protected KubernetesException(string message, HttpStatusCode? statusCode, Status? status, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Status = status;
    }

    /// <summary>The HTTP status (or a watch error's code); null when the server never answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The server's <c>Status</c> object, when it sent one.</summary>
    public Status? Status { get; }

    /// <summary>The server's own message (<c>Status.message</c>), when it sent one.</summary>
    public string? ServerMessage => Status?.Message;

    /// <summary>Maps an error answer to the matching leaf; the message carries the server's Status message.</summary>
    internal static KubernetesException FromStatus(HttpStatusCode code, Status? status, string operation)
    {
        var detail = string.IsNullOrEmpty(status?.Message) ? code.ToString() : status.Message;
        var message = $"{operation}: {detail} (HTTP {(int)code})";
        return code switch
        {
            HttpStatusCode.NotFound => new KubernetesNotFoundException(message, status),
            HttpStatusCode.Conflict => new KubernetesConflictException(message, status),
            HttpStatusCode.UnprocessableEntity => new KubernetesInvalidException(message, status),
            HttpStatusCode.Forbidden => new KubernetesForbiddenException(message, status),
            HttpStatusCode.Unauthorized => new KubernetesUnauthorizedException(message, status),
            HttpStatusCode.Gone => new KubernetesGoneException(message, status),
            _ => new KubernetesApiException(message, code, status),
        };
    }
}

/// <summary>The object does not exist (HTTP 404, reason NotFound).</summary>
public sealed class KubernetesNotFoundException : KubernetesException
{
    public KubernetesNotFoundException(string message, Status? status = null)
        : base(message, HttpStatusCode.NotFound, status, null)
    {
    }
}

/// <summary>
/// The request clashes with the stored object (HTTP 409): it already exists (reason AlreadyExists) or the
/// <c>resourceVersion</c> sent is stale (reason Conflict). <see cref="IsAlreadyExists"/> tells them apart.
/// </summary>
public sealed class KubernetesConflictException : KubernetesException
{
    public KubernetesConflictException(string message, Status? status = null)
        : base(message, HttpStatusCode.Conflict, status, null)
    {
    }

    public bool IsAlreadyExists => Status?.Reason == "AlreadyExists";
}

/// <summary>The object failed validation (HTTP 422, reason Invalid); <see cref="KubernetesException.Status"/> lists the causes.</summary>
public sealed class KubernetesInvalidException : KubernetesException
{
    public KubernetesInvalidException(string message, Status? status = null)
        : base(message, HttpStatusCode.UnprocessableEntity, status, null)
    {
    }
}

/// <summary>The caller is not allowed to do this (HTTP 403): RBAC denies it, or admission refused it.</summary>
public sealed class KubernetesForbiddenException : KubernetesException
{
    public KubernetesForbiddenException(string message, Status? status = null)
        : base(message, HttpStatusCode.Forbidden, status, null)
    {
    }
}

/// <summary>The credentials were not accepted (HTTP 401): a wrong, expired or revoked token or certificate.</summary>
public sealed class KubernetesUnauthorizedException : KubernetesException
{
    public KubernetesUnauthorizedException(string message, Status? status = null)
        : base(message, HttpStatusCode.Unauthorized, status, null)
    {
    }
}

/// <summary>
/// The <c>resourceVersion</c> asked for is older than what the server keeps (HTTP 410 or a watch ERROR
/// event with code 410). A watcher recovers by listing again.
/// </summary>
public sealed class KubernetesGoneException : KubernetesException
{
    public KubernetesGoneException(string message, Status? status = null)
        : base(message, HttpStatusCode.Gone, status, null)
    {
    }
}

/// <summary>Any other error status (400, 405, 429, 5xx, ...) without a dedicated type.</summary>
public sealed class KubernetesApiException : KubernetesException
{
    public KubernetesApiException(string message, HttpStatusCode statusCode, Status? status = null, Exception? innerException = null)
        : base(message, statusCode, status, innerException)
    {
    }
}

/// <summary>
/// The API server could not be reached: connection refused or dropped, TLS failed, or no answer in time.
/// Callers report the backend as unavailable and retry later.
/// </summary>
public sealed class KubernetesUnavailableException : KubernetesException
{
    public KubernetesUnavailableException(string message, Exception? innerException = null)
        : base(message, null, null, innerException)
    {
    }
}
