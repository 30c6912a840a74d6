using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Faas.Contracts.Endpoints;

namespace Faas.Gateway.Endpoints;

/// <summary>An immutable snapshot of every function and its ready replicas, swapped as a whole.</summary>
public sealed class RoutingTable
{
    public static readonly RoutingTable Empty = new(-1, FrozenDictionary<FunctionKey, FunctionRoute>.Empty);

    private RoutingTable(long version, FrozenDictionary<FunctionKey, FunctionRoute> routes)
    {
        Version = version;
        Routes = routes;
    }

    /// <summary>The controller's snapshot version (-1 before the first snapshot).</summary>
    public long Version { get; }

    public FrozenDictionary<FunctionKey, FunctionRoute> Routes { get; }

    public bool TryGet(FunctionKey key, [MaybeNullWhen(false)] out FunctionRoute route) => Routes.TryGetValue(key, out route);

    /// <summary>
    /// Builds a table from <paramref name="snapshot"/>. Replicas still present in
    /// <paramref name="previous"/> (same function, id and URL) keep their object and in-flight count.
    /// Endpoints with an unusable URL are reported to <paramref name="invalid"/> and skipped.
    /// </summary>
    public static RoutingTable Build(
        EndpointSnapshot snapshot,
        RoutingTable previous,
        string defaultNamespace,
        Action<FunctionKey, string>? invalid = null)
    {
        var routes = new Dictionary<FunctionKey, FunctionRoute>(snapshot.Functions.Count);
        foreach (var function in snapshot.Functions)
        {
            if (string.IsNullOrEmpty(function.Name))
            {
                continue;
            }

            var key = new FunctionKey(function.Name, string.IsNullOrEmpty(function.Namespace) ? defaultNamespace : function.Namespace);
            previous.TryGet(key, out var old);
            var ready = new List<Replica>(function.Endpoints.Count);
            foreach (var endpoint in function.Endpoints)
            {
                if (!TryPrefix(endpoint.Url, out var prefix))
                {
                    invalid?.Invoke(key, endpoint.Url);
                    continue;
                }

                ready.Add(Reuse(old, endpoint.Replica, prefix) ?? new Replica(endpoint.Replica, prefix));
            }

            routes[key] = new FunctionRoute(key, function.Replicas, [.. ready], function.Paused);
        }

        return new RoutingTable(snapshot.Version, routes.ToFrozenDictionary());
    }

    private static Replica? Reuse(FunctionRoute? old, string id, string prefix)
    {
        if (old is null)
        {
            return null;
        }

        foreach (var replica in old.Ready)
        {
            if (replica.Id == id && replica.DestinationPrefix == prefix)
            {
                return replica;
            }
        }

        return null;
    }

    private static bool TryPrefix(string url, out string prefix)
    {
        prefix = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        prefix = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return true;
    }
}
