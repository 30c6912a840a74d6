namespace Faas.Controller.Tests.Autoscaling;

/// <summary>A hand-written clock that moves only when the test advances it.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
