using Panel.Membership.Data;
using Panel.Membership.Members;
using Panel.Messaging;

namespace Panel.Membership;

public static class MembershipExtensions
{
    public static WebApplicationBuilder AddMembership(this WebApplicationBuilder builder)
    {
        builder.AddGatewayTokenAuthentication(ServiceNames.Membership);
        builder.AddServiceOpenApi(ServiceNames.Membership);
        builder.AddPanelMessaging<MembershipDbContext>(ServiceNames.Membership, ConnectionNames.MembershipDb);
        builder.Services.AddOptions<MembershipOptions>()
            .BindConfiguration(MembershipOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Municipalities.Count > 0, "Membership:Municipalities must list the county's municipalities.")
            .ValidateOnStart();
        return builder;
    }

    public static WebApplication MapMembershipEndpoints(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapServiceOpenApi(ServiceNames.Membership);
        app.MapJoinEndpoints();
        return app;
    }
}
