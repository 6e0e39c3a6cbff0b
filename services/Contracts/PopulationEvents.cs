namespace Panel.Contracts;

/// <summary>
/// One group of the county's population reference: how many residents of a municipality, 10-year age band
/// and gender ("woman" or "man": population statistics have these two) live in the county. Public statistics,
/// not personal data.
/// </summary>
/// <remarks>Named a snapshot because Contracts hold only past-tense events and snapshots (the architecture tests).</remarks>
public sealed record PopulationGroupSnapshot(string Municipality, string AgeBand, string Gender, int Count);

/// <summary>
/// A coordinator published a new version of the population reference (Membership). Versions only grow;
/// a consumer keeps the highest version it has seen and ignores an older one that arrives late.
/// Groups not listed have no residents.
/// </summary>
public sealed record PopulationReferencePublished(int Version, DateTimeOffset PublishedAt, IReadOnlyList<PopulationGroupSnapshot> Groups);
