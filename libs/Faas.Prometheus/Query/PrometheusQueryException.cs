using System.Net;

namespace Faas.Prometheus.Query;

/// <summary>
/// A query did not produce a result. Catch a leaf to tell a query to fix
/// (<see cref="PrometheusBadQueryException"/>) from a server to wait for
/// (<see cref="PrometheusUnavailableException"/>) or a response not understood
/// (<see cref="PrometheusProtocolException"/>).
/// </summary>
public abstract class PrometheusQueryException : Exception
{
    private protected PrometheusQueryException(string message, string? errorType, string? error, HttpStatusCode? statusCode, Exception? innerException)
        : base(message, innerException)
    {
        ErrorType = errorType;
        Error = error;
        StatusCode = statusCode;
    }

    /// <summary>Prometheus's <c>errorType</c> (<c>bad_data</c>, <c>execution</c>, <c>timeout</c>, …), when it answered.</summary>
    public string? ErrorType { get; }

    /// <summary>Prometheus's <c>error</c> message, when it answered.</summary>
    public string? Error { get; }

    /// <summary>The HTTP status of the response, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }
}

/// <summary>Prometheus rejected the query (400 or 422): a syntax error, bad parameters or a failed evaluation.</summary>
public sealed class PrometheusBadQueryException : PrometheusQueryException
{
    internal PrometheusBadQueryException(string message, string? errorType, string? error, HttpStatusCode? statusCode)
        : base(message, errorType, error, statusCode, null)
    {
    }
}

/// <summary>Prometheus could not be reached or could not answer: connection failure, timeout or 5xx.</summary>
public sealed class PrometheusUnavailableException : PrometheusQueryException
{
    internal PrometheusUnavailableException(string message, string? errorType, string? error, HttpStatusCode? statusCode, Exception? innerException)
        : base(message, errorType, error, statusCode, innerException)
    {
    }
}

/// <summary>The response was not a Prometheus API response (unexpected status, body or result type).</summary>
public sealed class PrometheusProtocolException : PrometheusQueryException
{
    internal PrometheusProtocolException(string message, HttpStatusCode? statusCode, Exception? innerException)
        : base(message, null, null, statusCode, innerException)
    {
    }
}
