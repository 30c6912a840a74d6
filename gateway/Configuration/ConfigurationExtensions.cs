namespace Faas.Gateway.Configuration;

public static class ConfigurationExtensions
{
    /// <summary>
    /// Reads and validates <see cref="GatewayOptions"/> (throws <see cref="GatewayOptionsException"/>
    /// listing every error), registers them as a singleton and binds Kestrel to
    /// <c>bind_address:port</c> with the request body limit.
    /// </summary>
    public static WebApplicationBuilder AddGatewayOptions(this WebApplicationBuilder builder)
    {
        var options = GatewayOptionsReader.Read(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBody;
            if (options.ParsedBindAddress is { } address)
            {
                kestrel.Listen(address, options.Port);
            }
            else
            {
                kestrel.ListenLocalhost(options.Port);
            }
        });
        return builder;
    }
}
