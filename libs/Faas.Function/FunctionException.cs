namespace Faas.Function;

/// <summary>
/// Thrown by a handler to answer with a chosen status and a short message (for example 400 for bad
/// input). Any other exception becomes a 500 whose body says the handler failed; its stack trace
/// goes to the function's logs, never to the caller.
/// </summary>
public sealed class FunctionException : Exception
{
    public FunctionException(int statusCode, string message)
        : base(message)
    {
        if (statusCode is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A FunctionException carries an error status (400-599).");
        }

        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
