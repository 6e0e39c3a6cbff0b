namespace Panel.Messaging;

/// <summary>An integration event stored in the same transaction as the state change that caused it.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    /// <summary>W3C traceparent of the request that caused the event, so one trace spans the hop.</summary>
    public string? TraceParent { get; set; }
}

/// <summary>A message a consumer has already applied; written in the same transaction as the effect.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}
