using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Panel.Membership.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a running database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MembershipDbContext>
{
    public MembershipDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MembershipDbContext>()
            .UseNpgsql("Host=localhost;Database=membership_design")
            .UseSnakeCaseNamingConvention()
            .Options);
}
