using Panel.TestSupport;

namespace Panel.Membership.Tests;

/// <summary>Membership in process, sending its email over SMTP to a real SMTP server of its own.</summary>
public class MembershipHost : ServiceHost<Program>
{
    public const string PublicBaseUrl = "http://panel.test";

    protected override string ServiceName => ServiceNames.Membership;
    protected override string DatabaseConnectionName => ConnectionNames.MembershipDb;

    public SmtpSink Smtp { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(IDictionary<string, string?> settings)
    {
        Smtp.ConfigureMembership(settings, PublicBaseUrl);
        settings["Membership:PauseCheckInterval"] = "00:00:00.200";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }
    }
}
