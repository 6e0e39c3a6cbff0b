using System.Net;
using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests;

/// <summary>
/// Generated hostile requests through the gateway: to every operation of the services' documents through its proxy (as
/// the administrator and as the public), and to its own forms. No 5xx, and nothing refused is stored.
/// </summary>
[Collection(LiveGatewayCollection.Name)]
public sealed class HostileInputTests(LiveGatewayHost host)
{
    public static TheoryData<string> Services => [ServiceNames.Membership, ServiceNames.Surveys, ServiceNames.Reporting];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task No_hostile_request_through_the_proxy_gets_a_5xx_or_leaves_anything_behind(string service)
    {
        var admin = await host.SignedInAsync();
        var database = service switch
        {
            ServiceNames.Membership => host.Membership.Database,
            ServiceNames.Surveys => host.Surveys.Database,
            _ => host.Reporting.Database,
        };

        var asAdmin = await HostileRequests.CheckAsync(service, admin.Http, [null], database, iterations: 6);
        var asPublic = await HostileRequests.CheckAsync(service, host.NewBrowser().Http, [null], database, iterations: 3);

        HostileRequestsCoverage.Assert([.. asAdmin, .. asPublic]);
    }

    [Theory]
    [InlineData("Form.Email", "resident\0@example.fi")]
    [InlineData("Form.Phone", "040\0123")]
    [InlineData("Form.BirthYear", "19\09")]
    public async Task A_join_form_with_a_nul_is_refused_and_nobody_joins(string field, string value)
    {
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/join");
        var members = await host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM members");
        var fields = JoinPageTests.ValidFields($"hostile-{Guid.NewGuid():N}@example.fi");
        fields[field] = value;

        var refused = await browser.SubmitAsync(page, "join", fields);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(members, await host.Membership.Database.ScalarAsync<long>("SELECT count(*) FROM members"));
    }

    [Fact]
    public async Task A_staff_sign_in_with_a_nul_in_the_email_is_refused_not_a_server_error()
    {
        var browser = host.NewBrowser();
        var page = await browser.GetAsync("/staff/sign-in");

        var refused = await browser.SubmitAsync(page, "sign-in", new Dictionary<string, string> { ["Form.Email"] = "admin\0@panel.test", ["Form.Password"] = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
    }
}
