using Panel.Messaging;
using Panel.Reporting.Data;
using Panel.Reporting.Events;
using Panel.Reporting.PanelComposition;
using Panel.Reporting.PanelHealth;
using Panel.Reporting.Representativeness;
using Panel.Reporting.SurveyResults;

namespace Panel.Reporting;

public static class ReportingExtensions
{
    public static WebApplicationBuilder AddReporting(this WebApplicationBuilder builder)
    {
        builder.AddGatewayTokenAuthentication(ServiceNames.Reporting);
        builder.AddServiceOpenApi(ServiceNames.Reporting);
        builder.AddPanelMessaging<ReportingDbContext>(ServiceNames.Reporting, ConnectionNames.ReportingDb, bus =>
        {
            bus.AddConsumer<MemberJoinedConsumer>();
            bus.AddConsumer<MemberVerifiedConsumer>();
            bus.AddConsumer<MemberProfileChangedConsumer>();
            bus.AddConsumer<MemberPausedConsumer>();
            bus.AddConsumer<MemberResumedConsumer>();
            bus.AddConsumer<MemberWithdrawnConsumer>();
            bus.AddConsumer<MemberErasedConsumer>();
            bus.AddConsumer<PanelMemberErasedConsumer>();
            bus.AddConsumer<MemberSignedInConsumer>();
            bus.AddConsumer<PopulationReferencePublishedConsumer>();
            bus.AddConsumer<SurveyApprovedConsumer>();
            bus.AddConsumer<SurveyRevisedConsumer>();
            bus.AddConsumer<SurveyOpenedConsumer>();
            bus.AddConsumer<SurveyClosedConsumer>();
            bus.AddConsumer<SurveyAnswersFinalizedConsumer>();
            bus.AddConsumer<SurveyResultsPublishedConsumer>();
            bus.AddConsumer<ResponseSubmittedConsumer>(BatchInboxConsumer.Options);
            bus.AddConsumer<ResponsesSubmittedConsumer>(BatchInboxConsumer.Options);
            bus.AddConsumer<SurveyInvitationsIssuedConsumer>();
            bus.AddConsumer<InvitationOpenedConsumer>(BatchInboxConsumer.Options);
            bus.AddConsumer<InvitationAnsweredConsumer>(BatchInboxConsumer.Options);
            bus.AddConsumer<InvitationsProgressedConsumer>(BatchInboxConsumer.Options);
        });
        builder.Services.AddOptions<ReportingOptions>()
            .BindConfiguration(ReportingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    public static WebApplication MapReportingEndpoints(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapServiceOpenApi(ServiceNames.Reporting);
        app.MapCompositionEndpoints();
        app.MapPanelHealthEndpoints();
        app.MapRepresentativenessEndpoints();
        app.MapSurveyResultsEndpoints();
        return app;
    }
}
