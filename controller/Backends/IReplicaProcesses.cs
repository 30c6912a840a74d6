namespace Faas.Controller.Backends;

/// <summary>One live replica process of a function, for reading its CPU time from <c>/proc</c>.</summary>
/// <param name="Function">The qualified name, <c>name.namespace</c>.</param>
/// <param name="Replica">The replica's id, unique within the function.</param>
public readonly record struct ReplicaProcess(string Function, string Replica, int Pid);

/// <summary>A backend whose replicas are local processes (the process backend).</summary>
public interface IReplicaProcesses
{
    /// <summary>A snapshot of the replicas that have a process (starting, ready or paused).</summary>
    IReadOnlyList<ReplicaProcess> ListReplicaProcesses();
}
