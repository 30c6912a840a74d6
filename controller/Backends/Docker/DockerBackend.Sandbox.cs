using System.Formats.Tar;
using Faas.Docker;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// Sandboxes: a standby joins the network namespace of a running "sandbox" container (like a pod's
/// pause container) instead of getting its own, so a wake skips the slowest part of <c>docker start</c>
/// (veth pair, bridge port, address, the embedded DNS set-up: ~300 ms measured, against ~110 ms
/// joining a namespace).
/// </summary>
/// <remarks>
/// One sandbox per standby (so one replica per namespace, and the watchdog port never clashes),
/// named <c>&lt;replica&gt;-net</c>, labelled <see cref="DockerLabels.SandboxRole"/>; the replica
/// carries the sandbox's id in <see cref="DockerLabels.Sandbox"/> and is reached at the sandbox's
/// bridge address. Rules, per pass: a sandbox stays while any listed container (draining ones
/// included) names it, and is removed as an orphan after; a replica or standby whose sandbox is not
/// running has no network and is removed (a replica is then replaced). When the sandbox image cannot
/// be had (a daemon on another architecture) or a sandbox does not start, the standby gets its own
/// namespace as before: slower, never broken.
/// </remarks>
public sealed partial class DockerBackend
{
    /// <summary>The image of sandboxes, made by the controller on the daemon (no registry is needed).</summary>
    public const string SandboxImage = "faas/sandbox:1";

    /// <summary>null until the first standby asks; then whether <see cref="SandboxImage"/> is on the daemon.</summary>
    private bool? _sandboxImage;

    /// <summary>
    /// A running sandbox for a standby about to be created; null when sandboxes are off or unavailable
    /// (the caller then creates the standby with its own namespace).
    /// </summary>
    private async Task<(string Id, string Address)?> CreateSandboxAsync(DockerFunction function, string containerName, string replicaId, CancellationToken cancellationToken)
    {
        if (!Options.Sandboxes || !await EnsureSandboxImageAsync(cancellationToken))
        {
            return null;
        }

        string? id = null;
        try
        {
            id = (await Docker.Containers.CreateContainerAsync(
                ContainerSpec.Sandbox(function.Name, function.Namespace, $"{containerName}-net", replicaId, Options), cancellationToken)).Id;
            await Docker.Containers.StartContainerAsync(id, cancellationToken);
            var inspect = await Docker.Containers.InspectContainerAsync(id, cancellationToken);
            if (inspect.NetworkSettings?.Networks?.GetValueOrDefault(Options.Network)?.IPAddress is { Length: > 0 } address)
            {
                return (id, address);
            }

            throw new DockerServerException($"sandbox {containerName}-net has no address on {Options.Network}", System.Net.HttpStatusCode.InternalServerError);
        }
        catch (DockerException e) when (e is not DockerUnavailableException)
        {
            if (e is DockerNotFoundException)
            {
                _sandboxImage = null; // removed by hand: made again next time
            }

            DockerBackendLog.SandboxFailed(_logger, Qualified(function), e.Message);
            if (id is not null)
            {
                await RemoveQuietlyAsync(id);
            }

            return null;
        }
    }

    /// <summary>Makes <see cref="SandboxImage"/> once: one static binary that sleeps until killed.</summary>
    private async Task<bool> EnsureSandboxImageAsync(CancellationToken cancellationToken)
    {
        if (_sandboxImage is { } known)
        {
            return known;
        }

        try
        {
            await Docker.Images.InspectImageAsync(SandboxImage, cancellationToken);
            return (_sandboxImage = true).Value;
        }
        catch (DockerNotFoundException)
        {
            // Made below.
        }

        var version = await Docker.System.GetVersionAsync(cancellationToken);
        if (SandboxProgram.For(version.Arch) is not { } program)
        {
            DockerBackendLog.SandboxUnsupported(_logger, version.Arch ?? "unknown");
            return (_sandboxImage = false).Value;
        }

        using var rootfs = new MemoryStream();
        var writer = new TarWriter(rootfs, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "pause")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                ModificationTime = DateTimeOffset.UnixEpoch,
                DataStream = new MemoryStream(program, writable: false),
            }, cancellationToken);
        }

        rootfs.Position = 0;
        var separator = SandboxImage.LastIndexOf(':');
        await Docker.Images.ImportImageAsync(rootfs, new ImageImportParameters
        {
            Repository = SandboxImage[..separator],
            Tag = SandboxImage[(separator + 1)..],
            Message = "faas: holds a network namespace for a standby replica",
            Changes = ["ENTRYPOINT [\"/pause\"]"],
        }, cancellationToken);
        DockerBackendLog.SandboxImageMade(_logger, SandboxImage, version.Arch ?? "unknown");
        return (_sandboxImage = true).Value;
    }

    /// <summary>The sandboxes any listed container names: these stay, the others are orphans.</summary>
    private static HashSet<string> ReferencedSandboxes(IEnumerable<ContainerSummary> listed) =>
        listed.Select(c => Label(c, DockerLabels.Sandbox)).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// A replica or standby that joined a sandbox is cut off once the sandbox stops: its network
    /// namespace has no interface left. null when the container has no sandbox.
    /// </summary>
    private static bool? SandboxRunning(ContainerSummary container, IReadOnlyDictionary<string, ContainerSummary> sandboxes) =>
        Label(container, DockerLabels.Sandbox) is not { } id ? null : sandboxes.TryGetValue(id, out var sandbox) && sandbox.State == "running";

    /// <summary>The bridge address of a container: its own, or its sandbox's.</summary>
    private string? AddressOf(ContainerSummary container, IReadOnlyDictionary<string, ContainerSummary> sandboxes)
    {
        var owner = Label(container, DockerLabels.Sandbox) is { } id && sandboxes.TryGetValue(id, out var sandbox) ? sandbox : container;
        return owner.NetworkSettings?.Networks?.GetValueOrDefault(Options.Network)?.IPAddress is { Length: > 0 } address ? address : null;
    }
}
