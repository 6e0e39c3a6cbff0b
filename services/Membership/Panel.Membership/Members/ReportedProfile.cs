using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Messaging;

namespace Panel.Membership.Members;

/// <summary>
/// The one place member events get their <see cref="ProfileSnapshot"/>. Reporting keeps counts by group from
/// the deltas of these events, so a snapshot must name the group Reporting really counted the member in: the
/// age band last reported (<see cref="Member.ReportedAgeBand"/>), not one recomputed from today's year, which
/// changes under a member at a New Year.
/// </summary>
public static class ReportedProfile
{
    /// <summary>The member's group as Reporting last counted it.</summary>
    public static ProfileSnapshot Of(Member m) =>
        new(m.ReportedAgeBand, m.Municipality, m.Gender, m.Language, m.IsClient);

    /// <summary>The member's group by today's year, as it will be reported from now on.</summary>
    public static string CurrentBand(Member m, TimeProvider time) => AgeBands.For(m.BirthYear, time.GetUtcNow().Year);

    /// <summary>
    /// If the member has aged into another band since it was last reported, raises MemberProfileChanged (in the
    /// member's present state) moving them there, and records the new band. Call before changing the state, so a
    /// following state event's snapshot describes the group the member is then counted in.
    /// Returns the snapshot to use for that event.
    /// </summary>
    public static ProfileSnapshot CatchUp(MembershipDbContext db, Member m, TimeProvider time)
    {
        var band = CurrentBand(m, time);
        if (band != m.ReportedAgeBand)
        {
            var previous = Of(m);
            m.ReportedAgeBand = band;
            db.AddEvent(new MemberProfileChanged(m.Id, previous, Of(m), m.State, time.GetUtcNow()), time);
        }

        return Of(m);
    }
}
