using System.Diagnostics;
using OpenTelemetry;

namespace Panel.ServiceDefaults;

/// <summary>
/// Drops database spans that start a trace of their own: those are the background loops (outbox relays, the survey
/// clock, the mixer, reminders) polling every second or two, thousands of one-span traces an hour that would bury the
/// traces of what people do in the dashboard. A query made inside a request, a consumed message or a job's own span
/// has a parent and is kept.
/// </summary>
public sealed class UntracedPolling : BaseProcessor<Activity>
{
    public const string NpgsqlSource = "Npgsql";

    public override void OnStart(Activity data)
    {
        if (data.Parent is null && data.ParentSpanId == default && data.Source.Name == NpgsqlSource)
        {
            data.IsAllDataRequested = false;
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
