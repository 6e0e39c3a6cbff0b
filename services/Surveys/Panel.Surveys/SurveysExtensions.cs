using Microsoft.Extensions.Options;
using Panel.Messaging;
using Panel.Surveys.Access;
using Panel.Surveys.Data;
using Panel.Surveys.Definitions;
using Panel.Surveys.Lifecycle;
using Panel.Surveys.Reviews;
using Panel.Surveys.Templates;

namespace Panel.Surveys;

public static class SurveysExtensions
{
    public static WebApplicationBuilder AddSurveys(this WebApplicationBuilder builder)
    {
        builder.AddGatewayTokenAuthentication(ServiceNames.Surveys);
        builder.AddServiceOpenApi(ServiceNames.Surveys);
        builder.AddPanelMessaging<SurveysDbContext>(ServiceNames.Surveys, ConnectionNames.SurveysDb);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(SurveyPolicies.Read, p => p.RequireRole(SurveyPolicies.ReadRoles))
            .AddPolicy(SurveyPolicies.Author, p => p.RequireRole(SurveyPolicies.AuthorRoles))
            .AddPolicy(SurveyPolicies.Review, p => p.RequireRole(SurveyPolicies.ReviewRoles))
            .AddPolicy(SurveyPolicies.Publish, p => p.RequireRole(SurveyPolicies.PublishRoles));
        builder.Services.ConfigureHttpJsonOptions(o => DefinitionJson.Configure(o.SerializerOptions));

        builder.Services.AddOptions<SurveysOptions>()
            .BindConfiguration(SurveysOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SurveysOptions>, ProblemsValidator<SurveysOptions>>(_ => new(SurveysOptions.Problems));

        builder.Services.AddSingleton<SurveyClock>();
        if (builder.Configuration.GetValue($"{SurveysOptions.Section}:{nameof(SurveysOptions.SchedulerEnabled)}", true))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SurveyClock>());
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
