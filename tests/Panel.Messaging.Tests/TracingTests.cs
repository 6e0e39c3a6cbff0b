using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Panel.TestSupport;

namespace Panel.Messaging.Tests;

/// <summary>One trace runs from the request that wrote the event, through the relay and RabbitMQ, to the consumer.</summary>
[Collection(BrokerOutageCollection.Name)]
public sealed class TracingTests() : TwoServices("trace")
{
    private static readonly ActivitySource Request = new("Panel.Tests.Request");
    [Fact]
    public async Task The_consumer_continues_the_trace_of_the_request_that_raised_the_event()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Panel.Tests.Request" or "Panel.Messaging" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        using var consumer = Hosts.Consumer(ConsumerDb, Bus, new DeliveryLog());
        await Hosts.CreateSchemaAsync<ConsumerDb>(consumer);
        await consumer.StartAsync();
        using var producer = Hosts.Producer(ProducerDb, Bus);
        await Hosts.CreateSchemaAsync<ProducerDb>(producer);
        await producer.StartAsync();

        ActivityTraceId traceId;
        using (var request = Request.StartActivity("POST /api/membership/members", ActivityKind.Server))
        {
            Assert.NotNull(request);
            traceId = request.TraceId;
            await Hosts.WriteEventAsync(producer, "traced");
        }

        await Eventually.UntilAsync(
            () => Task.FromResult(stopped.Count(a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer && a.TraceId == traceId)),
            n => n >= 2, TimeSpan.FromSeconds(60), "both consumers' activities in the request's trace");

        Assert.Contains(stopped, a => a.Source.Name == "Panel.Messaging" && a.TraceId == traceId && a.Kind == ActivityKind.Producer);
        await producer.StopAsync();
        await consumer.StopAsync();
    }
}
