using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Panel.Membership.Audit;
using Panel.Membership.Campaigns;
using Panel.Membership.Consent;
using Panel.Membership.Email;
using Panel.Membership.Invitations;
using Panel.Membership.Links;
using Panel.Membership.Members;
using Panel.Membership.Population;
using Panel.Messaging;

namespace Panel.Membership.Data;

public sealed class MembershipDbContext(DbContextOptions<MembershipDbContext> options) : DbContext(options), IMessagingDbContext, IDataProtectionKeyContext
{
    public DbSet<Member> Members => Set<Member>();
    public DbSet<OneTimeLink> OneTimeLinks => Set<OneTimeLink>();
    public DbSet<EmailMessage> EmailMessages => Set<EmailMessage>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ConsentVersion> ConsentVersions => Set<ConsentVersion>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<PopulationReference> PopulationReferences => Set<PopulationReference>();
    public DbSet<PopulationReferenceRow> PopulationReferenceRows => Set<PopulationReferenceRow>();
    public DbSet<InvitationSurvey> InvitationSurveys => Set<InvitationSurvey>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<TargetingQuery> TargetingQueries => Set<TargetingQuery>();
    /// <summary>ASP.NET Data Protection keys (they protect invitation tokens), shared by every replica.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    /// <summary>
    /// Set when this unit of work queued emails in its transaction: the sender is woken once the transaction has
    /// committed (woken earlier, it would find the rows not yet visible and sleep a poll interval).
    /// </summary>
    internal bool EmailsQueued { get; set; }

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.AddInterceptors(EmailSignalInterceptor.Instance);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MembershipDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
