using System.Collections.Concurrent;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// What the daemon's container events (<see cref="DockerEventWatcher"/>) tell a pass beyond "look again".
/// </summary>
/// <remarks>
/// The daemon sends a container's <c>die</c> event before its container list says so: a pass kicked
/// by the event can still list the dead replica as <c>running</c>. Were it ready by a start probe's
/// mark (used without probing), the pass would count it ready, find the function settled and wait for
/// the slow poll. So a <c>die</c> outranks the listing: the container counts as exited (and its mark
/// is dropped) until a pass lists it exited or gone; a later <c>start</c> of the same container clears it.
/// </remarks>
public sealed partial class DockerBackend
{
    private readonly ConcurrentDictionary<string, byte> _died = new(StringComparer.Ordinal);

    /// <summary>A container event of this controller's network: records what a pass must trust over the listing, then kicks a pass.</summary>
    internal void OnContainerEvent(string? action, string? containerId)
    {
        if (containerId is not null)
        {
            switch (action)
            {
                case "die":
                    _died[containerId] = 0;
                    _startedReady.TryRemove(containerId, out _);
                    break;
                case "start":
                    _died.TryRemove(containerId, out _);
                    break;
            }
        }

        Kick();
    }

    /// <summary>The listing with containers the daemon reported dead shown as exited, whatever state it still lists.</summary>
    private List<ContainerSummary> WithDeathsApplied(IReadOnlyList<ContainerSummary> listed)
    {
        if (_died.IsEmpty)
        {
            return [.. listed];
        }

        // Records added while this runs stay for the next pass: their container may be listed from before it died.
        var recorded = _died.Keys;
        var applied = new List<ContainerSummary>(listed.Count);
        var stale = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in listed)
        {
            if (_died.ContainsKey(container.Id) && container.State is not ("exited" or "dead" or "removing"))
            {
                stale.Add(container.Id);
                applied.Add(container with { State = "exited" });
            }
            else
            {
                applied.Add(container);
            }
        }

        // The listing caught up (exited, or removed): the record has served.
        foreach (var id in recorded.Where(id => !stale.Contains(id)))
        {
            _died.TryRemove(id, out _);
        }

        return applied;
    }
}
