namespace Faas.Controller.Logs;

/// <summary>A parsed <c>GET /system/logs</c> request.</summary>
/// <param name="Instance">Only this replica's lines when set.</param>
/// <param name="Tail">The last N lines over all replicas; 0 or less means all.</param>
/// <param name="Since">Only lines at or after this time.</param>
/// <param name="Follow">Keep streaming new lines (and new replicas) until the client goes away.</param>
public sealed record LogQuery(string Name, string Namespace, string? Instance = null, int Tail = 0, DateTimeOffset? Since = null, bool Follow = false);
