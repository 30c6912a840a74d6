using System.Reflection;

namespace Faas.Watchdog.Handlers;

/// <summary>Finds the handler class: the one public concrete class implementing an SDK interface, or <c>handler_type</c>.</summary>
internal static class HandlerDiscovery
{
    /// <summary>Loads <paramref name="assemblyPath"/> into its own context and picks the handler type.</summary>
    public static Type FindInAssembly(string assemblyPath, string? handlerType)
    {
        var fullPath = Path.GetFullPath(assemblyPath);
        if (!File.Exists(fullPath))
        {
            throw new WatchdogStartupException(
                $"handler_assembly '{assemblyPath}' does not exist; set handler_assembly to the handler's compiled dll (the publish output of the function project, e.g. Function.dll)");
        }

        Assembly assembly;
        Type[] exported;
        try
        {
            assembly = new HandlerLoadContext(fullPath).LoadFromAssemblyPath(fullPath);
            exported = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            throw new WatchdogStartupException($"handler_assembly '{assemblyPath}' could not be loaded: {e.Message}", e);
        }

        return Select(exported, handlerType, Path.GetFileName(fullPath));
    }

    /// <summary>Picks the handler among <paramref name="exportedTypes"/>; <paramref name="source"/> names them in errors.</summary>
    public static Type Select(IEnumerable<Type> exportedTypes, string? handlerType, string source)
    {
        var types = exportedTypes as IReadOnlyCollection<Type> ?? exportedTypes.ToArray();
        if (handlerType is not null)
        {
            var named = types.FirstOrDefault(t => t.FullName == handlerType);
            if (named is null)
            {
                throw new WatchdogStartupException(
                    $"handler_type '{handlerType}' is not a public type in {source}; handlers found: {Describe(types.Where(HandlerShapes.IsCandidate))}");
            }

            if (!HandlerShapes.IsCandidate(named))
            {
                throw new WatchdogStartupException(
                    $"handler_type '{handlerType}' in {source} is not a handler: it must be a public non-abstract class implementing {HandlerShapes.Expected}");
            }

            return named;
        }

        var candidates = types.Where(HandlerShapes.IsCandidate).ToArray();
        return candidates.Length switch
        {
            1 => candidates[0],
            0 => throw new WatchdogStartupException(
                $"no handler found in {source}: expected one public non-abstract class implementing {HandlerShapes.Expected}"),
            _ => throw new WatchdogStartupException(
                $"{candidates.Length} handlers found in {source}: {Describe(candidates)}; set handler_type to the full name of the one to serve"),
        };
    }

    private static string Describe(IEnumerable<Type> types)
    {
        var names = types.Select(t => t.FullName).Order(StringComparer.Ordinal).ToArray();
        return names.Length == 0 ? "none" : string.Join(", ", names);
    }
}
