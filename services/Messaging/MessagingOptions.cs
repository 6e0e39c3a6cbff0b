using Panel.ServiceDefaults;
using System.ComponentModel.DataAnnotations;

namespace Panel.Messaging;

public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>How often the relay looks for unsent events when nothing woke it.</summary>
    [TimeSpanRange("00:00:00.050", "00:01:00")]
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events claimed and published at once (all of a batch are in flight together).</summary>
    [Range(1, 1000)]
    public int RelayBatchSize { get; set; } = 200;

    /// <summary>
    /// How long sent events stay in the outbox before the relay deletes them. Zero (the default): the relay deletes
    /// an event in the transaction in which it learns that the broker confirmed it, so nothing sent is kept at rest.
    /// Retained events are a record of who did what when (answered invitations with their times, each batch of
    /// answers, an erased member's profile), which an administrator or a backup would keep; delivery does not need
    /// them, as an event is deleted only after the broker's confirm and a consumer's inbox absorbs a repeat. A
    /// non-zero retention (for debugging, or tests that read what was sent) keeps them marked sent that long.
    /// </summary>
    [TimeSpanRange("00:00:00", "365.00:00:00")]
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.Zero;

    /// <summary>Relay loops per process, each claiming its own batch (a backlog drains while the previous batch is confirmed).</summary>
    [Range(1, 8)]
    public int RelayConcurrency { get; set; } = 2;

    /// <summary>How often the relay deletes events past the retention (and any left marked sent by an older version).</summary>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows deleted per statement when pruning.</summary>
    [Range(1, 100000)]
    public int PruneBatchSize { get; set; } = 5000;

    /// <summary>How long one publish may wait for the broker's confirm before the batch is retried.</summary>
    [TimeSpanRange("00:00:01", "00:05:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound of the relay's exponential backoff after a failed publish.</summary>
    [TimeSpanRange("00:00:01", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts by a consumer before the message goes to its _error queue.</summary>
    [Range(0, 20)]
    public int ConsumerRetries { get; set; } = 5;

    /// <summary>
    /// Deliveries each consumer endpoint takes from RabbitMQ before acknowledging (and so applies at once): what the
    /// inbox's group commit can gather into one transaction during a flood. At least a batch consumer's batch (2 × 100).
    /// </summary>
    [Range(200, 5000)]
    public int ConsumerPrefetch { get; set; } = 200;

    /// <summary>Use RabbitMQ quorum queues for consumer endpoints (production clusters).</summary>
    public bool QuorumQueues { get; set; }

    /// <summary>
    /// Hold the host's start until the bus is connected and its queues bound. Off in services, which
    /// should start (and keep taking writes into the outbox) while the broker is down; on in tests.
    /// </summary>
    public bool WaitUntilBusStarted { get; set; }

    /// <summary>Run the relay in this process (off in tests that drive the relay by hand).</summary>
    public bool RelayEnabled { get; set; } = true;
}
