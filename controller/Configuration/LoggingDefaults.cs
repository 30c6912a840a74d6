using Microsoft.Extensions.Configuration.Memory;

namespace Faas.Controller.Configuration;

public static class LoggingDefaults
{
    /// <summary>
    /// Per-request ASP.NET Core logs at Warning unless configured otherwise (<c>Logging__LogLevel__...</c>):
    /// the controller's own events tell what happens. Inserted first, so every other source wins.
    /// </summary>
    public static WebApplicationBuilder AddQuietDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });
        return builder;
    }
}
