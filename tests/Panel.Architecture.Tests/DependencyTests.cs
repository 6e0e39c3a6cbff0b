using System.Reflection;
using System.Xml.Linq;
using NetArchTest.Rules;

namespace Panel.Architecture.Tests;

/// <summary>
/// The boundaries of DESIGN.md section 3: services share only Contracts, Messaging, Privacy and
/// ServiceDefaults; they never reference each other or the gateway, and the gateway none of them.
/// </summary>
public sealed class DependencyTests
{
    private static readonly Dictionary<string, Assembly> Parts = new()
    {
        ["Panel.Membership"] = typeof(Panel.Membership.MembershipExtensions).Assembly,
        ["Panel.Surveys"] = typeof(Panel.Surveys.SurveysExtensions).Assembly,
        ["Panel.Feedback"] = typeof(Panel.Feedback.FeedbackExtensions).Assembly,
        ["Panel.Reporting"] = typeof(Panel.Reporting.ReportingExtensions).Assembly,
        ["Panel.Gateway"] = typeof(Panel.Gateway.GatewayExtensions).Assembly,
    };

    public static TheoryData<string> PartNames() => new(Parts.Keys);

    [Theory]
    [MemberData(nameof(PartNames))]
    public void No_service_or_gateway_depends_on_another_one(string part)
    {
        var others = Parts.Keys.Where(k => k != part).ToArray();

        var result = Types.InAssembly(Parts[part]).ShouldNot().HaveDependencyOnAny(others).GetResult();

        Assert.True(result.IsSuccessful, $"{part} depends on another part: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [MemberData(nameof(PartNames))]
    public void Only_Contracts_Messaging_Privacy_and_ServiceDefaults_are_shared(string part)
    {
        var panelReferences = Parts[part].GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Panel.", StringComparison.Ordinal))
            .ToList();

        Assert.All(panelReferences, name => Assert.Contains(name, new[] { "Panel.Contracts", "Panel.Messaging", "Panel.Privacy", "Panel.ServiceDefaults" }));
    }

    [Fact]
    public void Privacy_is_plain_code_that_knows_no_service_database_or_web_framework()
    {
        var privacy = typeof(Panel.Privacy.HiddenNumber).Assembly;
        var references = privacy.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, n => n.StartsWith("Panel.", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, n => n.StartsWith("MassTransit", StringComparison.Ordinal));
    }

    /// <summary>
    /// DESIGN.md section 5, rule 4: one disclosure-control engine. What decides which numbers are hidden lives in
    /// Panel.Privacy; a service or the gateway that grew a suppression of its own would be a second engine.
    /// </summary>
    [Theory]
    [MemberData(nameof(PartNames))]
    public void Suppression_lives_only_in_Privacy(string part)
    {
        var own = Types.InAssembly(Parts[part]).That().HaveNameEndingWith("Suppression").GetTypes().Select(t => t.FullName).ToList();

        Assert.True(own.Count == 0, $"{part} decides suppression itself: {string.Join(", ", own)}; use or extend Panel.Privacy");
    }

    [Fact]
    public void The_gateway_holds_no_domain_events_or_messaging()
    {
        var references = Parts["Panel.Gateway"].GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain("Panel.Contracts", references);
        Assert.DoesNotContain("Panel.Messaging", references);
        Assert.DoesNotContain("MassTransit", references);
    }

    [Fact]
    public void Project_files_reference_only_the_shared_projects()
    {
        var root = RepositoryRoot();
        var allowed = new[] { "Panel.Contracts.csproj", "Panel.Messaging.csproj", "Panel.Privacy.csproj", "Panel.ServiceDefaults.csproj" };
        foreach (var project in Directory.GetFiles(Path.Combine(root, "services"), "*.csproj", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(Path.Combine(root, "gateway"), "*.csproj", SearchOption.AllDirectories)))
        {
            var references = XDocument.Load(project).Descendants("ProjectReference")
                .Select(r => Path.GetFileName(r.Attribute("Include")!.Value.Replace('\\', '/')));
            Assert.All(references, r => Assert.Contains(r, allowed));
        }
    }

    [Fact]
    public void Contracts_hold_only_immutable_records_named_in_the_past_tense_snapshots_or_enums()
    {
        var types = typeof(Panel.Contracts.MemberJoined).Assembly.GetExportedTypes();

        Assert.NotEmpty(types);
        foreach (var type in types.Where(t => !t.IsEnum))
        {
            // A record has a compiler-generated EqualityContract; immutability means no public setters but init.
            Assert.NotNull(type.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance));
            foreach (var property in type.GetProperties())
            {
                var setter = property.SetMethod;
                var isInit = setter?.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit") == true;
                Assert.True(setter is null || isInit, $"{type.Name}.{property.Name} can be changed after creation");
            }

            // Past participles: Joined, Withdrawn, Chosen, and with a particle SignedIn, OptedOut.
            var pastTense = System.Text.RegularExpressions.Regex.IsMatch(type.Name, "(ed|en|wn)([A-Z][a-z]+)?$");
            Assert.True(pastTense || type.Name.EndsWith("Snapshot", StringComparison.Ordinal),
                $"{type.Name} is neither an event named in the past tense nor a snapshot");
        }
    }

    [Fact]
    public void Integration_events_never_carry_contact_details()
    {
        var forbidden = new[] { "email", "phone", "name", "address", "ssn", "identitycode", "birthyear", "birthdate" };
        foreach (var type in typeof(Panel.Contracts.MemberJoined).Assembly.GetExportedTypes())
        {
            foreach (var property in type.GetProperties())
            {
                var lower = property.Name.ToLowerInvariant();
                Assert.False(forbidden.Any(f => lower.Contains(f, StringComparison.Ordinal) && lower != "municipality"),
                    $"{type.Name}.{property.Name} looks like personal data");
            }
        }
    }

    [Fact]
    public void Program_files_stay_a_dozen_lines()
    {
        var root = RepositoryRoot();
        foreach (var program in Directory.GetFiles(Path.Combine(root, "services"), "Program.cs", SearchOption.AllDirectories)
                     .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
                     .Append(Path.Combine(root, "gateway", "Panel.Gateway", "Program.cs")))
        {
            var code = File.ReadAllLines(program).Count(l => !string.IsNullOrWhiteSpace(l) && !l.TrimStart().StartsWith("using ", StringComparison.Ordinal));
            Assert.True(code <= 12, $"{program} has {code} lines of code");
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Panel.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Panel.sln not found above the test output.");
    }
}
