using System.Text;
using Faas.Charts.Tests.Rendering;

namespace Faas.Charts.Tests.Chart;

/// <summary>The basic-auth Secret: generated on install, kept across upgrades (read back with lookup).</summary>
public sealed class BasicAuthSecretTests
{
    [Fact]
    public async Task Install_GeneratesARandomPassword()
    {
        var first = Password(await ChartRenderer.RenderAsync());
        var second = Password(await ChartRenderer.RenderAsync());

        Assert.Matches("^[A-Za-z0-9]{32}$", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Install_UsesTheGivenPassword()
    {
        var manifests = await ChartRenderer.RenderAsync("--set-string", "basicAuth.password=chosen-one,basicAuth.user=ops");

        Assert.Equal("chosen-one", Password(manifests));
        Assert.Equal("ops", Decode(manifests, "basic-auth-user"));
    }

    [Fact]
    public async Task Upgrade_KeepsThePasswordOfTheExistingSecret()
    {
        var lookup = Path.Combine(Path.GetTempPath(), $"faas-chart-lookup-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(lookup, $"""
            - apiVersion: v1
              kind: Secret
              metadata:
                name: faas-basic-auth
                namespace: {ChartRenderer.Namespace}
              data:
                basic-auth-user: {Convert.ToBase64String("admin"u8)}
                basic-auth-password: {Convert.ToBase64String("kept-from-install"u8)}
            """);
        try
        {
            var upgraded = await ChartRenderer.RenderAsync("--lookup", lookup, "--is-upgrade");
            Assert.Equal("kept-from-install", Password(upgraded));

            // An existing Secret wins over a value too: the password changes only by editing the Secret.
            var withValue = await ChartRenderer.RenderAsync("--lookup", lookup, "--is-upgrade", "--set", "basicAuth.password=other");
            Assert.Equal("kept-from-install", Password(withValue));
        }
        finally
        {
            File.Delete(lookup);
        }
    }

    [Fact]
    public async Task Upgrade_WithoutAnExistingSecret_GeneratesOne()
    {
        var lookup = Path.Combine(Path.GetTempPath(), $"faas-chart-lookup-{Guid.NewGuid():N}.yaml");
        // A Secret of the same name in another namespace is not ours.
        await File.WriteAllTextAsync(lookup, $"""
            - apiVersion: v1
              kind: Secret
              metadata:
                name: faas-basic-auth
                namespace: elsewhere
              data:
                basic-auth-password: {Convert.ToBase64String("not-ours"u8)}
            """);
        try
        {
            var manifests = await ChartRenderer.RenderAsync("--lookup", lookup, "--is-upgrade");
            Assert.Matches("^[A-Za-z0-9]{32}$", Password(manifests));
        }
        finally
        {
            File.Delete(lookup);
        }
    }

    [Fact]
    public async Task Upgrade_WithTheKeptSecret_RendersEveryObjectAsInstalled()
    {
        // What `helm upgrade` right after `helm install` does: lookup finds the Secret the install created.
        var installed = await ChartRenderer.RenderAsync();
        var secret = installed.Single("Secret", "faas-basic-auth");
        var lookup = Path.Combine(Path.GetTempPath(), $"faas-chart-lookup-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(lookup, System.Text.Json.JsonSerializer.Serialize(new[] { ToJsonShape(secret.Raw) }));
        try
        {
            var upgraded = await ChartRenderer.RenderAsync("--lookup", lookup, "--is-upgrade");

            // No pod template changes, so an upgrade without value changes rolls no pod.
            var serializer = new YamlDotNet.Serialization.SerializerBuilder().Build();
            Assert.Equal(installed.Objects.Select(o => serializer.Serialize(o.Raw)), upgraded.Objects.Select(o => serializer.Serialize(o.Raw)));
        }
        finally
        {
            File.Delete(lookup);
        }
    }

    private static object? ToJsonShape(object? value) => value switch
    {
        Dictionary<object, object> map => map.ToDictionary(kv => (string)kv.Key, kv => ToJsonShape(kv.Value)),
        List<object> list => list.Select(ToJsonShape).ToList(),
        _ => value,
    };

    private static string Password(Manifests manifests) => Decode(manifests, "basic-auth-password");

    private static string Decode(Manifests manifests, string key)
    {
        var secret = manifests.Single("Secret", "faas-basic-auth");
        return Encoding.UTF8.GetString(Convert.FromBase64String(Yaml.Str(Yaml.Map(secret.Raw, "data"), key)));
    }
}
