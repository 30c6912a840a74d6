namespace Faas.Controller.Backends.Process;

/// <summary>Where the process backend keeps its files under <c>state_dir</c>.</summary>
public sealed class ProcessPaths(string stateDir)
{
    public string StateDir { get; } = stateDir;

    public string StateFile => Path.Combine(StateDir, "functions.json");

    public string FunctionLogs(string @namespace, string name) => Path.Combine(StateDir, "logs", @namespace, name);

    public string ReplicaLog(string @namespace, string name, string replicaId) => Path.Combine(FunctionLogs(@namespace, name), replicaId + ".log");

    public string FunctionSecrets(string @namespace, string name) => Path.Combine(StateDir, "secrets", @namespace, name);

    /// <summary>Per-replica secrets folder (0700): copies of the secrets the replica's deployment lists.</summary>
    public string ReplicaSecrets(string @namespace, string name, string replicaId) => Path.Combine(FunctionSecrets(@namespace, name), replicaId);

    /// <summary>Ready files the watchdogs write (<c>lock_file_path</c>), watched by <see cref="ReadyNotifier"/>.</summary>
    public string ReadyDir => Path.Combine(StateDir, "ready");
}
