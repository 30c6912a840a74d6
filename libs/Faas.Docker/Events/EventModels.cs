using System.Text.Json.Serialization;

namespace Faas.Docker;

/// <summary>Parameters of <c>GET /events</c>.</summary>
public sealed record EventsParameters
{
    /// <summary>Replay events from this time on (the daemon keeps a bounded history).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Stop at this time; without it the stream stays open until cancelled.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Engine filters, e.g. <c>type=container</c>, <c>event=start</c>, <c>label=k=v</c>, <c>container=name</c>.</summary>
    public IDictionary<string, IList<string>>? Filters { get; init; }
}

/// <summary>One event of <c>GET /events</c>.</summary>
public sealed record DockerEvent
{
    /// <summary><c>container</c>, <c>image</c>, <c>network</c>, <c>volume</c>, <c>daemon</c>, ...</summary>
    public string? Type { get; init; }

    /// <summary><c>create</c>, <c>start</c>, <c>die</c>, <c>health_status: healthy</c>, ...</summary>
    public string? Action { get; init; }

    public EventActor? Actor { get; init; }

    public string? Scope { get; init; }

    /// <summary>Unix seconds.</summary>
    public long Time { get; init; }

    /// <summary>Unix nanoseconds.</summary>
    public long TimeNano { get; init; }

    /// <summary>The event time from <see cref="TimeNano"/> (100 ns precision), else <see cref="Time"/>.</summary>
    [JsonIgnore]
    public DateTimeOffset Timestamp => TimeNano != 0 ? DateTimeOffset.UnixEpoch.AddTicks(TimeNano / 100) : DateTimeOffset.FromUnixTimeSeconds(Time);
}

public sealed record EventActor
{
    /// <summary>The object's id (container id, image name, network id, ...).</summary>
    [JsonPropertyName("ID")]
    public string? Id { get; init; }

    /// <summary>Labels and details such as <c>name</c>, <c>image</c>, <c>exitCode</c>.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}
