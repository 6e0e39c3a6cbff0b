using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Panel.Membership.Audit;
using Panel.Membership.Campaigns;
using Panel.Membership.Consent;
using Panel.Membership.Data;
using Panel.Membership.Email;
using Panel.Membership.Events;
using Panel.Membership.Invitations;
using Panel.Membership.Links;
using Panel.Membership.Members;
using Panel.Membership.MyPanel;
using Panel.Membership.Population;
using Panel.Membership.SignIn;
using Panel.Membership.Support;
using Panel.Membership.Verification;
using Panel.Messaging;
using Panel.ServiceDefaults;

namespace Panel.Membership;

public static class MembershipExtensions
{
    public static WebApplicationBuilder AddMembership(this WebApplicationBuilder builder)
    {
        builder.AddGatewayTokenAuthentication(ServiceNames.Membership);
        builder.AddServiceOpenApi(ServiceNames.Membership);
        builder.AddPanelMessaging<MembershipDbContext>(ServiceNames.Membership, ConnectionNames.MembershipDb, bus =>
        {
            bus.AddConsumer<SurveyOpenedConsumer>();
            bus.AddConsumer<SurveyClosedConsumer>();
            bus.AddConsumer<SurveyRescheduledConsumer>();
            bus.AddConsumer<InvitationOpenedConsumer>(BatchInboxConsumer.Options);
            bus.AddConsumer<InvitationAnsweredConsumer>(BatchInboxConsumer.Options);
            bus.AddConsumer<InvitationsProgressedConsumer>(BatchInboxConsumer.Options);
            bus.AddConsumer<SurveyInvitationsStoredConsumer>();
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(SupportEndpoints.Policy, p => p.RequireRole(PanelRoles.Coordinator, PanelRoles.ItAdmin))
            .AddPolicy(ConsentEndpoints.ReadPolicy, p => p.RequireRole(PanelRoles.Coordinator, PanelRoles.ItAdmin))
            .AddPolicy(CampaignEndpoints.ReadPolicy, p => p.RequireRole(PanelRoles.Coordinator, PanelRoles.ItAdmin))
            .AddPolicy(InvitationEndpoints.TargetingPolicy, p => p.RequireRole(InvitationEndpoints.TargetingRoles))
            .AddPolicy(InvitationEndpoints.ProgressPolicy, p => p.RequireRole(InvitationEndpoints.ProgressRoles));
        // Protects invitation tokens at rest; the keys live in membershipdb so every replica can unprotect.
        builder.Services.AddDataProtection().PersistKeysToDbContext<MembershipDbContext>().SetApplicationName("Panel.Membership");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        builder.Services.AddOptions<MembershipOptions>()
            .BindConfiguration(MembershipOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MembershipOptions>, ProblemsValidator<MembershipOptions>>(_ => new(MembershipOptions.Problems));

        builder.Services.AddOptions<EmailOptions>()
            .BindConfiguration(EmailOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmailOptions>, ProblemsValidator<EmailOptions>>(_ => new(EmailOptions.Problems));

        builder.Services.AddOptions<InvitationOptions>()
            .BindConfiguration(InvitationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(_ => RandomNumberGenerator.Create());
        builder.Services.AddSingleton<InvitationTokens>();
        builder.Services.AddSingleton<ISampleRandom, SampleRandom>();
        builder.Services.AddScoped<InvitationIssuer>();
        builder.Services.AddSingleton<OneTimeTokens>();
        builder.Services.AddScoped<EmailQueue>();
        builder.Services.AddSingleton<IEmailTransport>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpEmailTransport>(sp)
            : ActivatorUtilities.CreateInstance<MailboxEmailTransport>(sp));
        if (builder.Configuration.GetValue($"{EmailOptions.Section}:{nameof(EmailOptions.SenderEnabled)}", true))
        {
            builder.Services.AddSingleton<EmailSender>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmailSender>());
        }

        if (builder.Configuration.GetValue($"{InvitationOptions.Section}:{nameof(InvitationOptions.RemindersEnabled)}", true))
        {
            builder.Services.AddSingleton<InvitationReminders>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<InvitationReminders>());
        }

        builder.Services.AddSingleton<SignInLinkRequests>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SignInLinkRequests>());
        builder.Services.AddSingleton<MembershipMaintenance>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MembershipMaintenance>());
        return builder;
    }

    public static WebApplication MapMembershipEndpoints(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapServiceOpenApi(ServiceNames.Membership);
        app.MapJoinEndpoints();
        app.MapVerificationEndpoints();
        app.MapSignInEndpoints();
        app.MapConsentEndpoints();
        app.MapMyPanelEndpoints();
        app.MapSupportEndpoints();
        app.MapAuditEndpoints();
        app.MapCampaignEndpoints();
        app.MapPopulationReferenceEndpoints();
        app.MapInvitationEndpoints();
        app.MapDevMailboxEndpoints(app.Environment, app.Services.GetRequiredService<IOptions<EmailOptions>>());
        return app;
    }
}

/// <summary>Reports every problem of an options object at start, each in words an operator can act on.</summary>
internal sealed class ProblemsValidator<TOptions>(Func<TOptions, IEnumerable<string>> problems) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var found = problems(options).ToList();
        return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
    }
}
