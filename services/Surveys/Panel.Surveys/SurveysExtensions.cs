using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Panel.Messaging;
using Panel.Surveys.Access;
using Panel.Surveys.Answering;
using Panel.Surveys.Assisted;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Events;
using Panel.Surveys.Invitations;
using Panel.Surveys.Lifecycle;
using Panel.Surveys.Responses;
using Panel.Surveys.Reviews;
using Panel.Surveys.Targeting;
using Panel.Surveys.Templates;

namespace Panel.Surveys;

public static class SurveysExtensions
{
    public static WebApplicationBuilder AddSurveys(this WebApplicationBuilder builder)
    {
        builder.AddGatewayTokenAuthentication(ServiceNames.Surveys);
        builder.AddServiceOpenApi(ServiceNames.Surveys);
        builder.AddPanelMessaging<SurveysDbContext>(ServiceNames.Surveys, ConnectionNames.SurveysDb, bus =>
        {
            bus.AddConsumer<SurveyInvitationsIssuedConsumer>();
            bus.AddConsumer<MemberDataErasedConsumer>();
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(SurveyPolicies.Read, p => p.RequireRole(SurveyPolicies.ReadRoles))
            .AddPolicy(SurveyPolicies.Author, p => p.RequireRole(SurveyPolicies.AuthorRoles))
            .AddPolicy(SurveyPolicies.Review, p => p.RequireRole(SurveyPolicies.ReviewRoles))
            .AddPolicy(SurveyPolicies.Publish, p => p.RequireRole(SurveyPolicies.PublishRoles))
            .AddPolicy(SurveyPolicies.Assist, p => p.RequireRole(SurveyPolicies.AssistRoles));
        builder.Services.ConfigureHttpJsonOptions(o => DefinitionJson.Configure(o.SerializerOptions));

        builder.Services.AddOptions<SurveysOptions>()
            .BindConfiguration(SurveysOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SurveysOptions>, ProblemsValidator<SurveysOptions>>(_ => new(SurveysOptions.Problems));
        builder.Services.AddOptions<CountyMunicipalities>()
            .BindConfiguration(CountyMunicipalities.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CountyMunicipalities>, ProblemsValidator<CountyMunicipalities>>(_ => new(CountyMunicipalities.Problems));

        builder.Services.AddSingleton<SurveyClock>();
        if (builder.Configuration.GetValue($"{SurveysOptions.Section}:{nameof(SurveysOptions.SchedulerEnabled)}", true))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SurveyClock>());
        }

        builder.Services.TryAddSingleton(_ => RandomNumberGenerator.Create());
        builder.Services.AddSingleton<AnswerRandom>();
        builder.Services.AddSingleton<OpenLinkLimiter>();
        builder.Services.AddSingleton<OpenSurveys>();
        builder.Services.AddSingleton(_ => AnsweringDatabase.Create(builder.Configuration.RequiredConnectionString(ConnectionNames.SurveysDb)));
        builder.Services.AddSingleton<InvitationAnswers>();
        builder.Services.AddSingleton<ResponseMixer>();
        if (builder.Configuration.GetValue($"{SurveysOptions.Section}:{nameof(SurveysOptions.MixerEnabled)}", true))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ResponseMixer>());
        }

        builder.Services.AddSingleton<PendingAnswerSettler>();
        if (builder.Configuration.GetValue($"{SurveysOptions.Section}:{nameof(SurveysOptions.SettleEnabled)}", true))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PendingAnswerSettler>());
        }

        builder.Services.AddSingleton<InvitationNoticeRelay>();
        if (builder.Configuration.GetValue($"{SurveysOptions.Section}:{nameof(SurveysOptions.NoticesEnabled)}", true))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<InvitationNoticeRelay>());
        }

        return builder;
    }

    public static WebApplication MapSurveysEndpoints(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapServiceOpenApi(ServiceNames.Surveys);
        app.MapSurveyEndpoints();
        app.MapLifecycleEndpoints();
        app.MapReviewEndpoints();
        app.MapTemplateEndpoints();
        app.MapTargetGroupEndpoints();
        app.MapAnsweringEndpoints();
        app.MapAssistedEndpoints();
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
