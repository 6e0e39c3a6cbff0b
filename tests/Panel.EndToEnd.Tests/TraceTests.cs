using Panel.TestSupport;
using Xunit.Abstractions;

namespace Panel.EndToEnd.Tests;

/// <summary>
/// One trace per user action, as an operator sees it in the dashboard: the five processes export their spans over
/// OTLP (here to the test's receiver), and a join in the browser is one trace from the gateway through Membership,
/// its outbox relay and RabbitMQ to Reporting's consumer, every span linked to its parent.
/// </summary>
[Collection(PanelCollection.Name)]
public sealed class TraceTests(PanelSystem system, ITestOutputHelper output)
{
    private const string Gateway = "Panel.Gateway";
    private const string Membership = "Panel.Membership";
    private const string Reporting = "Panel.Reporting";

    [Fact]
    public async Task A_join_in_the_browser_is_one_trace_from_the_gateway_through_the_outbox_and_RabbitMQ_to_Reporting()
    {
        var before = system.Telemetry.Spans.Select(s => s.TraceId).ToHashSet(StringComparer.Ordinal);
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await Residents.ChooseLanguageAsync(page, "en");
        await Residents.JoinThroughFormAsync(page, Residents.NewEmail("trace"), Residents.BackgroundMunicipality);

        // The join's trace: started by the gateway's form post, reaching Reporting's consumer of MemberJoined, and
        // linked without a gap from that consumer up to its root (the processes export in batches, so wait for all).
        List<ReceivedSpan>? chain = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (chain is null || chain[^1].ParentSpanId.Length > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No complete trace of the join from the gateway to Reporting's consumer within 60 s. {Describe(before, chain)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var trace = JoinTrace(before);
            chain = trace is null ? null : LongestChain(trace);
        }

        chain.Reverse();
        var described = string.Join("\n  -> ", chain);
        output.WriteLine("The join's trace, root first:\n  " + described);
        var root = chain[0];
        Assert.True(root.Service == Gateway && root.Kind == SpanKind.Server && root.Attributes.GetValueOrDefault("http.request.method") == "POST",
            $"The trace does not start with the gateway's form post:\n  {described}");

        // The hops in order: gateway request -> its call to Membership -> Membership's request -> outbox relay ->
        // MassTransit's send -> Reporting's receive/consume.
        int Hop(Func<ReceivedSpan, bool> match, string what)
        {
            var index = chain.FindIndex(s => match(s));
            Assert.True(index >= 0, $"No {what} on the way from the gateway to Reporting:\n  {described}");
            return index;
        }

        var gatewayCall = Hop(s => s.Service == Gateway && s.Kind == SpanKind.Client, "gateway call to Membership");
        var membershipRequest = Hop(s => s.Service == Membership && s.Kind == SpanKind.Server, "Membership request");
        var relay = Hop(s => s.Service == Membership && s.Scope == "Panel.Messaging" && s.Kind == SpanKind.Producer, "outbox relay publish");
        var send = Hop(s => s.Service == Membership && s.Scope == "MassTransit" && s.Kind == SpanKind.Producer, "MassTransit send to RabbitMQ");
        var received = Hop(s => s.Service == Reporting && s.Scope == "MassTransit" && s.Kind == SpanKind.Consumer, "Reporting receive");
        Assert.True(0 < gatewayCall && gatewayCall < membershipRequest && membershipRequest < relay && relay < send && send < received,
            $"The hops are out of order:\n  {described}");
        Assert.Equal(membershipRequest - 1, gatewayCall);
        Assert.Contains("MemberJoined", chain[relay].Name, StringComparison.Ordinal);
    }

    /// <summary>
    /// From the deepest of Reporting's consumer spans up through the parents found in the trace (the root last, or
    /// the first span whose parent was not exported); the longest such chain.
    /// </summary>
    private static List<ReceivedSpan> LongestChain(List<ReceivedSpan> trace)
    {
        var spans = trace.GroupBy(s => s.SpanId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var longest = new List<ReceivedSpan>();
        foreach (var consumer in trace.Where(s => s.Service == Reporting && s.Kind == SpanKind.Consumer))
        {
            var chain = new List<ReceivedSpan> { consumer };
            while (chain[^1].ParentSpanId.Length > 0 && spans.TryGetValue(chain[^1].ParentSpanId, out var parent) && chain.Count <= spans.Count)
            {
                chain.Add(parent);
            }

            if (chain.Count > longest.Count)
            {
                longest = chain;
            }
        }

        return longest;
    }

    /// <summary>What arrived, for a failure message.</summary>
    private string Describe(HashSet<string> before, List<ReceivedSpan>? chain)
    {
        var spans = system.Telemetry.Spans.Where(s => !before.Contains(s.TraceId)).ToList();
        var perService = string.Join(", ", spans.GroupBy(s => s.Service).Select(g => $"{g.Key}: {g.Count()}"));
        var roots = string.Join("\n  ", spans.Where(s => s.ParentSpanId.Length == 0 && s.Service == Gateway).Select(s => $"{s} {s.Attributes.GetValueOrDefault("url.path")}"));
        var partial = chain is null ? "none" : string.Join("\n  <- ", chain);
        return $"New spans per process: {perService}.\nGateway roots:\n  {roots}\nLongest chain from a Reporting consumer:\n  {partial}";
    }

    /// <summary>The new trace whose root is the gateway's POST of the join form and that has a span from Reporting's consumer.</summary>
    private List<ReceivedSpan>? JoinTrace(HashSet<string> before)
    {
        foreach (var trace in system.Telemetry.Spans.Where(s => !before.Contains(s.TraceId)).GroupBy(s => s.TraceId, StringComparer.Ordinal))
        {
            var root = trace.FirstOrDefault(s => s.ParentSpanId.Length == 0 && s.Service == Gateway && s.Kind == SpanKind.Server);
            if (root is not null
                && root.Attributes.GetValueOrDefault("url.path", "").EndsWith("/join", StringComparison.Ordinal)
                && trace.Any(s => s.Service == Reporting && s.Kind == SpanKind.Consumer))
            {
                return trace.ToList();
            }
        }

        return null;
    }
}
