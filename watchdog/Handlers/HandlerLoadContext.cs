using System.Reflection;
using System.Runtime.Loader;

namespace Faas.Watchdog.Handlers;

/// <summary>
/// Loads a handler assembly and its own dependencies from its publish folder (via its
/// <c>.deps.json</c>), while the SDK and the framework come from the watchdog's default context:
/// two copies of <c>Faas.Function</c> would make <c>IStringFunction</c> two different types.
/// </summary>
internal sealed class HandlerLoadContext : AssemblyLoadContext
{
    private static readonly string SdkAssemblyName = typeof(Faas.Function.IStringFunction).Assembly.GetName().Name!;

    private readonly AssemblyDependencyResolver _resolver;

    public HandlerLoadContext(string handlerAssemblyPath)
        : base($"handler:{Path.GetFileNameWithoutExtension(handlerAssemblyPath)}", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(handlerAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Null defers to the default context; framework assemblies never resolve to a path here.
        if (string.Equals(assemblyName.Name, SdkAssemblyName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
