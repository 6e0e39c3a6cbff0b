using MassTransit;
using Panel.Contracts;

namespace Panel.TestSupport;

/// <summary>
/// Publishes Membership's events about members as Membership publishes them, counting them, so a test can wait until
/// a consumer (Reporting) has applied every one (<see cref="AppliedAsync"/>).
/// </summary>
public sealed class MemberEvents(IBus bus)
{
    /// <summary>The profile of the members of <see cref="PanelHistoryAsync"/>.</summary>
    public static readonly ProfileSnapshot HistoryProfile = new("45-54", "Sastamala", null, "fi", null);

    public int Published { get; private set; }

    public async Task PublishAsync<T>(T message) where T : class
    {
        await bus.Publish(message, ctx => ctx.MessageId = Guid.NewGuid());
        Published++;
    }

    /// <summary><paramref name="count"/> new members join with <paramref name="profile"/>; their ids.</summary>
    public async Task<List<Guid>> JoinAsync(int count, ProfileSnapshot profile, DateTimeOffset at, string? campaign = null)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            await PublishAsync(new MemberJoined(id, profile, at, campaign));
        }

        return ids;
    }

    public async Task VerifyAsync(IEnumerable<Guid> ids, ProfileSnapshot profile, DateTimeOffset at, string? campaign = null)
    {
        foreach (var id in ids)
        {
            await PublishAsync(new MemberVerified(id, profile, at, campaign));
        }
    }

    /// <summary><paramref name="count"/> members join and verify their email: Active members in the panel.</summary>
    public async Task<List<Guid>> JoinVerifiedAsync(int count, ProfileSnapshot profile, DateTimeOffset at, string? campaign = null)
    {
        var ids = await JoinAsync(count, profile, at, campaign);
        await VerifyAsync(ids, profile, at.AddHours(1), campaign);
        return ids;
    }

    public async Task SignInsAsync(int count, DateTimeOffset at)
    {
        for (var i = 0; i < count; i++)
        {
            await PublishAsync(new MemberSignedIn(at));
        }
    }

    /// <summary>
    /// One known panel history in three months starting at <paramref name="a"/>, <paramref name="b"/> and
    /// <paramref name="c"/> (each at 09:00 UTC on the 1st), all with <see cref="HistoryProfile"/>:
    /// A: 8 join (campaign KINO) on the 5th and 6 of them verify on the 6th; 2 of those withdraw (20th) and 1 pauses
    /// (21st); 7 sign in (15th). B: 7 join (10th) and 5 verify (11th). C: 3 join (KINO, 2nd), 1 of them is erased
    /// while pending (3rd); 12 sign in (5th). So: pending 6, active 3 + 5 = 8, paused 1, withdrawn 2.
    /// </summary>
    public async Task PanelHistoryAsync(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c)
    {
        var profile = HistoryProfile;
        var first = await JoinAsync(8, profile, a.AddDays(4), "KINO");
        await VerifyAsync(first.Take(6), profile, a.AddDays(5), "KINO");
        foreach (var id in first.Take(2))
        {
            await PublishAsync(new MemberWithdrawn(id, profile, MemberState.Active, a.AddDays(19)));
        }

        await PublishAsync(new MemberPaused(first[2], profile, DateOnly.FromDateTime(a.AddMonths(5).UtcDateTime), a.AddDays(20)));
        await SignInsAsync(7, a.AddDays(14));
        var second = await JoinAsync(7, profile, b.AddDays(9));
        await VerifyAsync(second.Take(5), profile, b.AddDays(10));
        var third = await JoinAsync(3, profile, c.AddDays(1), "KINO");
        await PublishAsync(new MemberErased(third[0], profile, MemberState.Pending, c.AddDays(2)));
        await SignInsAsync(12, c.AddDays(4));
    }

    /// <summary>Waits until the consumer whose database is <paramref name="database"/> has applied every event published here.</summary>
    public Task AppliedAsync(TestDatabase database) =>
        Eventually.UntilAsync(() => database.ScalarAsync<long>("SELECT count(*) FROM inbox_messages"),
            n => n >= Published, TimeSpan.FromSeconds(60), $"{Published} membership events applied");
}
