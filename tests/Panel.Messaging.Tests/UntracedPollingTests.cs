using System.Diagnostics;
using Panel.ServiceDefaults;

namespace Panel.Messaging.Tests;

/// <summary>The relays' and jobs' polling queries stay out of the traces; a query inside a request's trace stays in.</summary>
public sealed class UntracedPollingTests : IDisposable
{
    private readonly ActivitySource _npgsql = new(UntracedPolling.NpgsqlSource);
    private readonly ActivitySource _panel = new("Panel.Tests.Polling");
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = s => s.Name is UntracedPolling.NpgsqlSource or "Panel.Tests.Polling",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };
    private readonly UntracedPolling _processor = new();

    public UntracedPollingTests() => ActivitySource.AddActivityListener(_listener);

    [Fact]
    public void A_query_that_starts_a_trace_is_not_recorded()
    {
        using var query = _npgsql.StartActivity("postgresql", ActivityKind.Client)!;
        _processor.OnStart(query);

        Assert.False(query.IsAllDataRequested);
        Assert.False(query.Recorded);
    }

    [Fact]
    public void A_query_inside_a_request_or_a_message_is_recorded()
    {
        using (var request = _panel.StartActivity("POST /api/membership/members", ActivityKind.Server)!)
        using (var query = _npgsql.StartActivity("postgresql", ActivityKind.Client)!)
        {
            _processor.OnStart(query);
            Assert.True(query.IsAllDataRequested);
            Assert.True(query.Recorded);
        }

        // A consumed message's span arrives as a remote parent (the traceparent of the event), with no local parent.
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using var inConsumer = _npgsql.StartActivity("postgresql", ActivityKind.Client, remote)!;
        _processor.OnStart(inConsumer);
        Assert.True(inConsumer.IsAllDataRequested);
    }

    [Fact]
    public void Spans_of_other_sources_that_start_a_trace_are_recorded()
    {
        using var job = _panel.StartActivity("outbox publish MemberJoined", ActivityKind.Producer)!;
        _processor.OnStart(job);

        Assert.True(job.IsAllDataRequested);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _npgsql.Dispose();
        _panel.Dispose();
        _processor.Dispose();
    }
}
