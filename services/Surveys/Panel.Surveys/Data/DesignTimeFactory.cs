using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Panel.Surveys.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a running database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SurveysDbContext>
{
    public SurveysDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SurveysDbContext>()
            .UseNpgsql("Host=localhost;Database=surveys_design")
            .UseSnakeCaseNamingConvention()
            .Options);
}
