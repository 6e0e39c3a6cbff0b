using Panel.Gateway.Tests.Support;
using Panel.TestSupport;

namespace Panel.Gateway.Tests.Residents;

/// <summary>
/// The resident join and sign-in forms, in front of the real Membership, give a member and a stranger the same page:
/// status, headers, cookies and text (but the address typed and the antiforgery token). What differs comes by email.
/// </summary>
[Collection(LiveGatewayCollection.Name)]
public sealed class AccountExistenceTests(LiveGatewayHost host)
{
    private static string Text(string key) => GatewayHost.Texts.Get("fi", key);

    [Fact]
    public async Task Asking_for_a_sign_in_link_shows_a_member_and_a_stranger_the_same_page()
    {
        var member = LiveResidents.NewEmail("member");
        await host.VerifiedMemberAsync(member);
        var stranger = LiveResidents.NewEmail("stranger");

        var forMember = await SignInFormAsync(member);
        var forStranger = await SignInFormAsync(stranger);

        Assert.Contains(Text("residentSignIn.sentBody"), forMember.Text, StringComparison.Ordinal);
        Assert.Equal(forStranger.Outside(stranger), forMember.Outside(member));
        await host.Membership.Smtp.WaitForMessagesToAsync(member, 2, LiveResidents.MailTimeout);
    }

    [Fact]
    public async Task Joining_shows_a_member_and_a_newcomer_the_same_page_and_the_member_is_told_by_email()
    {
        var member = LiveResidents.NewEmail("member");
        await host.VerifiedMemberAsync(member);
        var newcomer = LiveResidents.NewEmail("newcomer");

        var forMember = await JoinFormAsync(member);
        var forNewcomer = await JoinFormAsync(newcomer);

        Assert.Contains(Text("join.thanksTitle"), forMember.Text, StringComparison.Ordinal);
        Assert.Equal(forNewcomer.Outside(newcomer), forMember.Outside(member));
        var told = (await host.Membership.Smtp.WaitForMessagesToAsync(member, 2, LiveResidents.MailTimeout))[1];
        Assert.Contains("/sign-in/link?token=", SmtpSink.LinkIn(told).ToString(), StringComparison.Ordinal);
    }

    private async Task<Page> SignInFormAsync(string email)
    {
        var browser = host.NewBrowser();
        return await browser.SubmitAsync(await browser.GetAsync("/sign-in"), "resident-sign-in", new Dictionary<string, string> { ["Form.Email"] = email });
    }

    private async Task<Page> JoinFormAsync(string email)
    {
        var browser = host.NewBrowser();
        return await browser.SubmitAsync(await browser.GetAsync("/join"), "join", JoinPageTests.ValidFields(email));
    }
}
