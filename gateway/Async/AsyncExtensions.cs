using Faas.Gateway.Invoke;

namespace Faas.Gateway.Async;

public static class AsyncExtensions
{
    /// <summary>
    /// The async options (validated with the gateway's), the NATS queue (connects in the
    /// background), the handlers and, when <c>queue_worker</c> is on, the <see cref="QueueWorker"/>.
    /// </summary>
    public static WebApplicationBuilder AddAsync(this WebApplicationBuilder builder)
    {
        var options = AsyncOptionsReader.Read(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<AsyncQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<AsyncQueue>());
        services.AddSingleton<AsyncHandler>();
        services.AddSingleton<DeadLetterHandler>();
        services.AddSingleton<CallbackSender>();
        services.AddSingleton<FunctionRetryPolicies>();
        if (options.Configured && options.QueueWorker)
        {
            services.AddSingleton<QueueWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<QueueWorker>());
        }

        return builder;
    }

    /// <summary>
    /// <c>POST /async-function/{name}[/{**path}]</c>, <c>GET</c> and <c>DELETE /async-function/{callId}</c> and the
    /// dead-letter routes under <c>/system/async/</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapAsync(this IEndpointRouteBuilder app)
    {
        var handler = app.ServiceProvider.GetRequiredService<AsyncHandler>();
        var deadLetters = app.ServiceProvider.GetRequiredService<DeadLetterHandler>();
        RequestDelegate enqueue = handler.EnqueueAsync;
        app.MapPost($"/async-function/{{{AsyncHandler.NameRouteKey}}}", enqueue);
        app.MapPost($"/async-function/{{{AsyncHandler.NameRouteKey}}}/{{**path}}", enqueue);
        app.MapGet($"/async-function/{{{AsyncHandler.CallIdRouteKey}}}", (RequestDelegate)handler.GetStatusAsync);
        app.MapDelete($"/async-function/{{{AsyncHandler.CallIdRouteKey}}}", (RequestDelegate)handler.CancelAsync);
        app.MapGet("/system/async/dead-letters", (RequestDelegate)deadLetters.ListAsync);
        app.MapPost($"/system/async/dead-letters/{{{AsyncHandler.CallIdRouteKey}}}/redrive", (RequestDelegate)deadLetters.RedriveAsync);
        return app;
    }

    /// <summary>True when this process is only a queue worker (<c>role=queue-worker</c>).</summary>
    public static bool IsQueueWorkerOnly(this WebApplication app) =>
        app.Services.GetRequiredService<AsyncOptions>().WorkerOnly;
}
