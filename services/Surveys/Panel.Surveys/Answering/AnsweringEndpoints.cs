using Panel.Surveys.Definitions;

namespace Panel.Surveys.Answering;

/// <summary>
/// Answering, for residents through the gateway (any gateway token: public, signed-in resident or staff):
/// by an invitation's one-time link (<see cref="InvitationAnsweringEndpoints"/>), or by an open survey's public link
/// (<see cref="OpenLinkAnsweringEndpoints"/>). Every call is a POST or PUT whose JSON body carries the token or
/// resume code (<see cref="AnswerRequest"/>), so secrets never appear in a URL. Answers staff enter for a resident
/// are in Assisted/.
/// </summary>
public static class AnsweringEndpoints
{
    public const string Prefix = SurveyEndpoints.Prefix + "/answering";

    public static IEndpointRouteBuilder MapAnsweringEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapInvitationAnsweringEndpoints();
        app.MapOpenLinkAnsweringEndpoints();
        return app;
    }
}
