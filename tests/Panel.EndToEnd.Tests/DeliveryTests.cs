using System.Net.Http.Headers;
using System.Net.Http.Json;
using Panel.TestSupport;

namespace Panel.EndToEnd.Tests;

/// <summary>Events reach the real Reporting process even when it was down while they happened, exactly once.</summary>
[Collection(PanelCollection.Name)]
public sealed class DeliveryTests(PanelSystem system)
{
    private const string Municipality = "Juupajoki";

    [Fact]
    public async Task Members_who_join_and_verify_while_reporting_is_down_are_counted_once_when_it_is_back()
    {
        var band = Residents.AgeBand(Residents.BirthYear);
        using var gateway = system.Gateway();

        await system.StopAsync(ServiceNames.Reporting);
        try
        {
            for (var i = 0; i < 6; i++)
            {
                await Residents.JoinAndVerifyThroughApiAsync(system, gateway, Residents.NewEmail("juupajoki"), Municipality, Residents.BirthYear);
            }

            // Membership has published them all to RabbitMQ while nobody could consume them.
            await Eventually.UntilAsync(
                () => system.MembershipDatabase.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
                n => n == 0, TimeSpan.FromSeconds(30), "Membership's outbox to be relayed");
            Assert.Equal(0, await system.Database(ServiceNames.Reporting).ScalarAsync<long>(
                "SELECT count(*) FROM panel_member_counts WHERE municipality = @p0 AND members <> 0", Municipality));
        }
        finally
        {
            await system.StartAsync(ServiceNames.Reporting);
        }

        var shown = await Eventually.UntilAsync(() => JuupajokiAsync(band), n => n >= 6, TimeSpan.FromSeconds(60),
            $"the composition to show Juupajoki's members in {band}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var later = await JuupajokiAsync(band);

        Assert.Equal(6, shown);
        Assert.Equal(6, later);
    }

    /// <summary>Juupajoki's count in the band, asked from Reporting itself with a coordinator's gateway token.</summary>
    private async Task<int?> JuupajokiAsync(string band)
    {
        using var reporting = system.Direct(ServiceNames.Reporting);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/reporting/panel/composition");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Staff(ServiceNames.Reporting, "Coordinator"));
        using var response = await reporting.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var composition = await response.Content.ReadFromJsonAsync<Composition>();
        var row = composition!.Municipalities.IndexOf(Municipality);
        var column = composition.AgeBands.IndexOf(band);
        return row < 0 || column < 0 ? null : composition.Members[row][column];
    }

    private sealed record Composition(List<string> Municipalities, List<string> AgeBands, int?[][] Members);
}
