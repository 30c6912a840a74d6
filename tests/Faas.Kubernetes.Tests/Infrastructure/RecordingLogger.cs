using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Faas.Kubernetes.Tests.Infrastructure;

/// <summary>Keeps the event id of every log entry, so a test can tell which recovery path a watch took.</summary>
internal sealed class RecordingLogger : ILogger<KubernetesClient>
{
    public ConcurrentQueue<int> EventIds { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        EventIds.Enqueue(eventId.Id);
}
