using System.Net;
using Faas.Docker.Tests.Infrastructure;

namespace Faas.Docker.Tests.Networks;

[Collection(DockerCollection.Name)]
public sealed class NetworkOperationsTests(DockerDaemonFixture fixture)
{
    [Fact]
    public async Task CreateListConnectInspectDelete()
    {
        using var deadline = Deadline.Seconds(60);
        await using var scope = fixture.NewScope();
        var client = fixture.Client;
        var name = scope.Name("fnnet");
        var created = await client.Networks.CreateNetworkAsync(
            new NetworkCreateParameters { Name = name, Attachable = true, Labels = scope.LabelsWith(("faas.network", name)) },
            deadline.Token);
        scope.TrackNetwork(created.Id);

        var byName = await client.Networks.ListNetworksAsync(new NetworkListParameters { Names = [name] }, deadline.Token);
        var byLabel = await client.Networks.ListNetworksAsync(new NetworkListParameters { Labels = [$"faas.network={name}"] }, deadline.Token);
        Assert.Equal(created.Id, Assert.Single(byName).Id);
        var listed = Assert.Single(byLabel);
        Assert.Equal(name, listed.Name);
        Assert.Equal("bridge", listed.Driver);
        Assert.Equal("local", listed.Scope);
        Assert.True(listed.Attachable);
        Assert.NotNull(listed.IPAM?.Config?.FirstOrDefault()?.Subnet);

        // Connect a created (not yet running) container, then start it and see its address on both sides.
        var container = await scope.CreateShellContainerAsync(scope.Name("member"), "exec sleep 300", deadline.Token);
        await client.Networks.ConnectNetworkAsync(
            created.Id,
            new NetworkConnectParameters { Container = container, EndpointConfig = new EndpointSettings { Aliases = ["fn-alias"] } },
            deadline.Token);
        await client.Containers.StartContainerAsync(container, deadline.Token);

        var endpoint = (await client.Containers.InspectContainerAsync(container, deadline.Token)).NetworkSettings!.Networks![name];
        Assert.Contains("fn-alias", endpoint.Aliases!);
        Assert.True(IPAddress.TryParse(endpoint.IPAddress, out _), endpoint.IPAddress);
        var inspected = await client.Networks.InspectNetworkAsync(name, deadline.Token);
        Assert.Equal(created.Id, inspected.Id);
        Assert.Equal($"{endpoint.IPAddress}/{endpoint.IPPrefixLen}", inspected.Containers![container].IPv4Address);

        var inUse = await Assert.ThrowsAnyAsync<DockerException>(() => client.Networks.DeleteNetworkAsync(created.Id, deadline.Token));
        Assert.Contains("active endpoints", inUse.DaemonMessage, StringComparison.Ordinal);

        await client.Networks.DisconnectNetworkAsync(created.Id, new NetworkDisconnectParameters { Container = container, Force = true }, deadline.Token);
        await client.Networks.DeleteNetworkAsync(created.Id, deadline.Token);
        var gone = await Assert.ThrowsAsync<DockerNotFoundException>(() => client.Networks.InspectNetworkAsync(created.Id, deadline.Token));
        Assert.Contains("not found", gone.DaemonMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DuplicateName_ThrowsConflict()
    {
        using var deadline = Deadline.Seconds(30);
        await using var scope = fixture.NewScope();
        var name = scope.Name("dupnet");
        var created = await fixture.Client.Networks.CreateNetworkAsync(new NetworkCreateParameters { Name = name, Labels = scope.LabelsWith() }, deadline.Token);
        scope.TrackNetwork(created.Id);

        var error = await Assert.ThrowsAsync<DockerConflictException>(
            () => fixture.Client.Networks.CreateNetworkAsync(new NetworkCreateParameters { Name = name, Labels = scope.LabelsWith() }, deadline.Token));

        Assert.Contains("already exists", error.DaemonMessage, StringComparison.Ordinal);
    }
}
