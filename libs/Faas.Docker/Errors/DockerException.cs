using System.Net;

namespace Faas.Docker;

/// <summary>
/// The root of every failure the Docker client reports. Catch a leaf to react to one cause
/// (<see cref="DockerNotFoundException"/>, <see cref="DockerUnavailableException"/>, ...).
/// </summary>
public abstract class DockerException : Exception
{
    private protected DockerException(string message, HttpStatusCode? statusCode, string? daemonMessage, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        DaemonMessage = daemonMessage;
    }

    /// <summary>The HTTP status the daemon answered with; null when it never answered.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The daemon's own message (the <c>message</c> field of its error body), when it sent one.</summary>
    public string? DaemonMessage { get; }

    /// <summary>Maps a daemon error response to the matching leaf.</summary>
    internal static DockerException FromResponse(HttpStatusCode status, string daemonMessage, string operation)
    {
        var message = $"{operation}: {daemonMessage} (HTTP {(int)status})";
        return status switch
        {
            HttpStatusCode.NotFound => new DockerNotFoundException(message, daemonMessage),
            HttpStatusCode.Conflict => new DockerConflictException(message, daemonMessage),
            HttpStatusCode.BadRequest => new DockerBadRequestException(message, daemonMessage),
            >= HttpStatusCode.InternalServerError => new DockerServerException(message, status, daemonMessage),
            _ => new DockerApiException(message, status, daemonMessage),
        };
    }
}

/// <summary>The object named in the request does not exist (HTTP 404): no such image, container or network.</summary>
public sealed class DockerNotFoundException : DockerException
{
    public DockerNotFoundException(string message, string? daemonMessage = null)
        : base(message, HttpStatusCode.NotFound, daemonMessage, null)
    {
    }
}

/// <summary>The request clashes with the daemon's state (HTTP 409), e.g. a container name already in use.</summary>
public sealed class DockerConflictException : DockerException
{
    public DockerConflictException(string message, string? daemonMessage = null)
        : base(message, HttpStatusCode.Conflict, daemonMessage, null)
    {
    }
}

/// <summary>The daemon rejected the request's parameters (HTTP 400).</summary>
public sealed class DockerBadRequestException : DockerException
{
    public DockerBadRequestException(string message, string? daemonMessage = null)
        : base(message, HttpStatusCode.BadRequest, daemonMessage, null)
    {
    }
}

/// <summary>
/// The daemon failed while handling the request (HTTP 5xx), reported an error inside a streamed answer,
/// or sent an answer this client cannot read (then <see cref="DockerException.StatusCode"/> is the status it sent).
/// </summary>
public sealed class DockerServerException : DockerException
{
    public DockerServerException(string message, HttpStatusCode statusCode, string? daemonMessage = null, Exception? innerException = null)
        : base(message, statusCode, daemonMessage, innerException)
    {
    }
}

/// <summary>Any other error status (e.g. 403, 406) the client has no dedicated type for.</summary>
public sealed class DockerApiException : DockerException
{
    public DockerApiException(string message, HttpStatusCode statusCode, string? daemonMessage = null)
        : base(message, statusCode, daemonMessage, null)
    {
    }
}

/// <summary>
/// The daemon could not be reached: the socket is missing, the connection was refused or dropped, or it did
/// not answer in time. Callers report the backend as unavailable.
/// </summary>
public sealed class DockerUnavailableException : DockerException
{
    public DockerUnavailableException(string message, Exception? innerException = null)
        : base(message, null, null, innerException)
    {
    }
}

/// <summary>A build failed: the build stream carried an <c>error</c> line (e.g. a <c>RUN</c> step exited non-zero).</summary>
public sealed class DockerBuildException : DockerException
{
    public DockerBuildException(string message, string daemonMessage, int? errorCode = null)
        : base(message, null, daemonMessage, null)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The <c>errorDetail.code</c> the daemon sent, e.g. the failing step's exit code.</summary>
    public int? ErrorCode { get; }
}

/// <summary>A push failed: the push stream carried an <c>error</c> line (registry unreachable, denied, ...).</summary>
public sealed class DockerPushException : DockerException
{
    public DockerPushException(string message, string daemonMessage)
        : base(message, null, daemonMessage, null)
    {
    }
}
