using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Panel.Membership.Data;
using Panel.ServiceDefaults;

namespace Panel.Membership.Audit;

/// <summary>
/// One access (or attempted access) by staff to a member's personal data (privacy rule 8). Holds
/// who, when, why and whom; never the email address looked up. Erasure unlinks the member
/// (<see cref="MemberId"/> becomes NULL) but keeps the entry.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string StaffSubject { get; set; }
    /// <summary>The staff member's roles at the time, comma-separated.</summary>
    public required string StaffRoles { get; set; }
    public required string Action { get; set; }
    public required string Outcome { get; set; }
    public required string Reason { get; set; }
    public Guid? MemberId { get; set; }
}

public static class AuditActions
{
    public const string Lookup = "member.lookup";
    public const string ResendVerification = "member.resend-verification";
    public const string Erase = "member.erase";
}

public static class AuditOutcomes
{
    public const string Found = "found";
    public const string NotFound = "not-found";
    public const string Queued = "queued";
    public const string RateLimited = "rate-limited";
    public const string WrongState = "wrong-state";
    public const string Erased = "erased";
}

public static class AuditLog
{
    /// <summary>Adds an entry to the caller's unit of work: it is saved with the access, or not at all.</summary>
    public static void Add(MembershipDbContext db, ClaimsPrincipal staff, string action, string outcome, string reason, Guid? memberId, DateTimeOffset at) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            StaffSubject = staff.FindFirstValue(PanelClaims.Subject) ?? "unknown",
            StaffRoles = string.Join(',', staff.FindAll(PanelClaims.Role).Select(c => c.Value).Order(StringComparer.Ordinal)),
            Action = action,
            Outcome = outcome,
            Reason = reason,
            MemberId = memberId,
        });
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.ToTable("audit_log");
        e.HasKey(a => a.Id);
        e.Property(a => a.Id).UseIdentityAlwaysColumn();
        e.Property(a => a.StaffSubject).HasMaxLength(200);
        e.Property(a => a.StaffRoles).HasMaxLength(200);
        e.Property(a => a.Action).HasMaxLength(50);
        e.Property(a => a.Outcome).HasMaxLength(20);
        e.Property(a => a.Reason).HasMaxLength(500);
        e.HasIndex(a => a.At);
        // Erasure unlinks the member's entries.
        e.HasIndex(a => a.MemberId);
    }
}
