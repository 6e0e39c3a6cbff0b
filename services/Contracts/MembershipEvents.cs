namespace Panel.Contracts;

/// <summary>A resident joined the panel. Carries the coarse profile, never contact details.</summary>
public sealed record MemberJoined(Guid PanelistId, ProfileSnapshot Profile, DateTimeOffset JoinedAt, string? CampaignCode);
