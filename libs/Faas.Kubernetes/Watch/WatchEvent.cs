namespace Faas.Kubernetes;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One change seen by a watch. For <see cref="WatchEventType.Deleted"/>, the object as it was last.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object)
    where T : IKubernetesObject;
