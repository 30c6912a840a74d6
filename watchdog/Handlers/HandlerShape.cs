using Faas.Function;

namespace Faas.Watchdog.Handlers;

/// <summary>The SDK interface a handler implements; decides how requests and results are mapped.</summary>
internal enum HandlerShape
{
    String,
    Bytes,
    Json,
    Http,

    /// <summary>Not a C# handler: calls are proxied to the http mode's upstream process.</summary>
    Upstream,

    /// <summary>Not a C# handler: a process forked per call (streaming mode).</summary>
    Forked,
}

internal static class HandlerShapes
{
    public const string Expected = "IStringFunction, IBytesFunction, IJsonFunction<TRequest, TResponse> or IHttpFunction";

    /// <summary>Every handler interface the type implements (more than one is an error the caller reports).</summary>
    public static IReadOnlyList<(HandlerShape Shape, Type Interface)> Of(Type type)
    {
        var found = new List<(HandlerShape, Type)>();
        foreach (var contract in type.GetInterfaces())
        {
            if (contract == typeof(IStringFunction))
            {
                found.Add((HandlerShape.String, contract));
            }
            else if (contract == typeof(IBytesFunction))
            {
                found.Add((HandlerShape.Bytes, contract));
            }
            else if (contract == typeof(IHttpFunction))
            {
                found.Add((HandlerShape.Http, contract));
            }
            else if (contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IJsonFunction<,>))
            {
                found.Add((HandlerShape.Json, contract));
            }
        }

        return found;
    }

    public static bool IsCandidate(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsVisible: true, ContainsGenericParameters: false } && Of(type).Count > 0;
}
