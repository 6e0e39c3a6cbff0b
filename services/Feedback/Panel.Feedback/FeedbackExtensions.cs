using Panel.Feedback.Data;
using Panel.Messaging;

namespace Panel.Feedback;

public static class FeedbackExtensions
{
    public static WebApplicationBuilder AddFeedback(this WebApplicationBuilder builder)
    {
        builder.AddGatewayTokenAuthentication(ServiceNames.Feedback);
        builder.AddServiceOpenApi(ServiceNames.Feedback);
        builder.AddPanelMessaging<FeedbackDbContext>(ServiceNames.Feedback, ConnectionNames.FeedbackDb);
        return builder;
    }

    public static WebApplication MapFeedbackEndpoints(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapServiceOpenApi(ServiceNames.Feedback);
        return app;
    }
}
