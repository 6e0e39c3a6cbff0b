using System.Security.Claims;
using Panel.Gateway.Tests.Support;
using Panel.ServiceDefaults;

namespace Panel.Gateway.Tests.SurveyResults;

public static class ResultsStaff
{
    /// <summary>A browser signed in as a new staff member with <paramref name="roles"/> (and service <paramref name="areas"/>), the member's id and email.</summary>
    public static async Task<(Browser Browser, string Id, string Email)> StaffAsync(this GatewayHost host, string[] roles, params string[] areas)
    {
        var user = await host.CreateStaffAsync(roles);
        if (areas.Length > 0)
        {
            await host.WithUsersAsync(async users => await users.AddClaimsAsync((await users.FindByIdAsync(user.Id))!, [.. areas.Select(a => new Claim(PanelClaims.ServiceArea, a))]));
        }

        return (await host.SignedInAsync(user.Email!, GatewayHost.StaffPassword), user.Id, user.Email!);
    }
}
