using System.Reflection;
using Faas.Function;

namespace Faas.Watchdog.Handlers;

/// <summary>The handler instance and the invoker built for its shape, created once per replica.</summary>
internal sealed record LoadedHandler(object Instance, HandlerInvoker Invoker)
{
    public Type Type => Instance.GetType();

    /// <summary>Constructs <paramref name="type"/> with <c>(FunctionEnvironment)</c> or its parameterless constructor.</summary>
    public static LoadedHandler Create(Type type, FunctionEnvironment environment)
    {
        if (!HandlerShapes.IsCandidate(type))
        {
            throw new WatchdogStartupException(
                $"{type.FullName} is not a handler: it must be a public non-abstract class implementing {HandlerShapes.Expected}");
        }

        var withEnvironment = type.GetConstructor([typeof(FunctionEnvironment)]);
        var constructor = withEnvironment ?? type.GetConstructor(Type.EmptyTypes)
            ?? throw new WatchdogStartupException(
                $"handler {type.FullName} has no usable constructor: add a public constructor taking FunctionEnvironment, or a parameterless one");

        object instance;
        try
        {
            instance = constructor.Invoke(withEnvironment is null ? [] : [environment]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new WatchdogStartupException(
                $"handler {type.FullName} constructor threw {e.InnerException.GetType().Name}: {e.InnerException.Message}", e.InnerException);
        }

        return FromInstance(instance);
    }

    /// <summary>Wraps an existing handler object (embedding and tests).</summary>
    public static LoadedHandler FromInstance(object instance)
    {
        var type = instance.GetType();
        var shapes = HandlerShapes.Of(type);
        if (shapes.Count != 1)
        {
            throw new WatchdogStartupException(shapes.Count == 0
                ? $"{type.FullName} implements none of {HandlerShapes.Expected}"
                : $"{type.FullName} implements {shapes.Count} handler interfaces ({string.Join(", ", shapes.Select(s => s.Interface.Name))}); implement exactly one");
        }

        var (shape, contract) = shapes[0];
        HandlerInvoker invoker = shape switch
        {
            HandlerShape.String => new StringInvoker((IStringFunction)instance),
            HandlerShape.Bytes => new BytesInvoker((IBytesFunction)instance),
            HandlerShape.Http => new HttpInvoker((IHttpFunction)instance),
            HandlerShape.Json => (HandlerInvoker)Activator.CreateInstance(
                typeof(JsonInvoker<,>).MakeGenericType(contract.GetGenericArguments()), instance)!,
            _ => throw new InvalidOperationException($"unknown handler shape {shape}"),
        };
        return new LoadedHandler(instance, invoker);
    }
}
