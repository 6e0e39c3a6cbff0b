using Microsoft.EntityFrameworkCore;
using Panel.Messaging;
using Panel.Surveys.Answering;
using Panel.Surveys.Definitions;
using Panel.Surveys.Invitations;
using Panel.Surveys.Responses;
using Panel.Surveys.Reviews;
using Panel.Surveys.Templates;

namespace Panel.Surveys.Data;

public sealed class SurveysDbContext(DbContextOptions<SurveysDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<SurveyVersion> SurveyVersions => Set<SurveyVersion>();
    public DbSet<Review> Reviews => Set<Review>();
    public DbSet<SurveyTemplate> Templates => Set<SurveyTemplate>();
    public DbSet<SurveyResponse> Responses => Set<SurveyResponse>();
    public DbSet<PendingResponse> PendingResponses => Set<PendingResponse>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<InvitationNotice> InvitationNotices => Set<InvitationNotice>();
    public DbSet<AnswerDraft> AnswerDrafts => Set<AnswerDraft>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SurveysDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
