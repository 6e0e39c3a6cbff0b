using Panel.Surveys.Data;
using Panel.Messaging;

namespace Panel.Surveys;

public static class SurveysExtensions
{
    public static WebApplicationBuilder AddSurveys(this WebApplicationBuilder builder)
    {
        builder.AddGatewayTokenAuthentication(ServiceNames.Surveys);
        builder.AddServiceOpenApi(ServiceNames.Surveys);
        builder.AddPanelMessaging<SurveysDbContext>(ServiceNames.Surveys, ConnectionNames.SurveysDb);
        return builder;
    }

    public static WebApplication MapSurveysEndpoints(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapServiceOpenApi(ServiceNames.Surveys);
        return app;
    }
}
