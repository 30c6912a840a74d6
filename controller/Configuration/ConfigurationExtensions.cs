using System.Net;

namespace Faas.Controller.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>
    /// Reads and validates <see cref="ControllerOptions"/> (throwing with every error at once),
    /// registers them, and makes Kestrel listen on <c>bind_address:port</c>.
    /// </summary>
    public static WebApplicationBuilder AddControllerOptions(this WebApplicationBuilder builder)
    {
        var options = ControllerOptions.Load(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // "localhost" is taken as IPv4 loopback so that port 0 (any free port) works too.
            var address = IPAddress.TryParse(options.BindAddress, out var parsed) ? parsed : IPAddress.Loopback;
            kestrel.Listen(address, options.Port);
        });
        return builder;
    }

    /// <summary>The options registered by <see cref="AddControllerOptions"/>, for the other <c>AddX()</c> calls.</summary>
    public static ControllerOptions GetControllerOptions(this WebApplicationBuilder builder) =>
        builder.Services.Select(d => d.IsKeyedService ? null : d.ImplementationInstance).OfType<ControllerOptions>().LastOrDefault()
        ?? throw new InvalidOperationException("call AddControllerOptions() first");
}
