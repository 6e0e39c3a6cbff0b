using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Panel.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// A service's database and event bus: its DbContext on PostgreSQL, MassTransit on RabbitMQ
    /// (from the <c>eventbus</c> connection string) with retry then the _error queue, and the
    /// outbox relay. Consumers are registered through <paramref name="consumers"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPanelMessaging<TDbContext>(
        this IHostApplicationBuilder builder,
        string serviceName,
        string databaseConnectionName,
        Action<IBusRegistrationConfigurator>? consumers = null)
        where TDbContext : DbContext, IMessagingDbContext
    {
        var dbConnection = builder.Configuration.RequiredConnectionString(databaseConnectionName);
        builder.Services.AddDbContext<TDbContext>(o => o.UseNpgsql(dbConnection).UseSnakeCaseNamingConvention().AddInterceptors(OutboxPulseInterceptor.Instance));
        builder.EnrichPanelDbContext<TDbContext>();
        if (ServiceApiExtensions.GeneratingDocument)
        {
            // The build writes the OpenAPI document: no broker to connect to, no events to relay.
            return builder;
        }

        var busConnection = builder.Configuration.RequiredConnectionString(ConnectionNames.EventBus);

        builder.Services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var messaging = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();

        builder.Services.AddSingleton<InboxGroupCommit<TDbContext>>();
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            // Each service gets its own queue per event: reporting-member-joined, surveys-member-erased, ...
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            consumers?.Invoke(x);

            x.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                if (messaging.ConsumerRetries > 0)
                {
                    endpoint.UseMessageRetry(r => r.Exponential(
                        messaging.ConsumerRetries, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)));
                }

                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    // Enough deliveries in flight that the inbox's group commit gathers real groups during a flood
                    // (and a batch consumer's batches fill); each is acknowledged only after its group committed.
                    rabbit.PrefetchCount = messaging.ConsumerPrefetch;
                    if (messaging.QuorumQueues)
                    {
                        rabbit.SetQuorumQueue();
                    }
                }
            });

            // MassTransit keeps its own RabbitMQ connection (Aspire.RabbitMQ.Client's IConnection is not one it can use).
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(busConnection), h =>
                {
                    h.PublisherConfirmation = true;
                    h.Heartbeat(TimeSpan.FromSeconds(10));
                });
                cfg.ConfigureEndpoints(context);
            });
        });

        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = messaging.WaitUntilBusStarted;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        if (messaging.RelayEnabled)
        {
            builder.Services.AddSingleton<OutboxRelay<TDbContext>>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TDbContext>>());
        }

        return builder;
    }
}
