using Panel;

// Panel's topology, declared once: PostgreSQL with a database per service, RabbitMQ, the four services and the
// gateway. Every way of running Panel starts it: `dotnet run --project AppHost` (containers, or existing servers),
// ./run.sh (the servers of deploy/local/servers.sh) and the end-to-end and AppHost tests (Aspire.Hosting.Testing).
//
// Settings (configuration keys; as environment variables with __ for :):
//   Panel:Servers            containers (default): PostgreSQL and RabbitMQ as containers (needs Docker);
//                            existing: the servers named by ConnectionStrings:membershipdb, surveysdb, feedbackdb,
//                            reportingdb, gatewaydb and eventbus (./run.sh, CI, a county's managed servers).
//   GatewayToken:PrivateKey  ECDSA P-256 private key (PKCS#8 PEM) with which the gateway signs what it forwards;
//   GatewayToken:PublicKey   the matching public key, with which the services check it (servers.sh makes the pair;
//                            with dotnet run: dotnet user-secrets --project AppHost set "GatewayToken:PrivateKey" …).
//   Panel:GatewayPort        the gateway's port (default: one Aspire chooses);
//   Panel:GatewayHost        the address it listens on (default localhost; 0.0.0.0 for every interface).
//   Panel:MailboxPath        the directory Membership writes its emails to (default .local/mailbox in the repo);
//                            Panel:SmtpHost (and Panel:SmtpPort) instead sends them to an SMTP server.
//   Bootstrap:AdminEmail, Bootstrap:AdminPassword   the first staff account, created by the gateway.

var builder = DistributedApplication.CreateBuilder(args);
var config = builder.Configuration;

// The processes inherit the AppHost's environment. What it read as settings (every database's connection string,
// the gateway's private key, the administrator's password) is removed from it, so that each process gets only what
// it is given below: a service its own database and the public key.
foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
{
    if (name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("GatewayToken__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Bootstrap__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Panel__", StringComparison.OrdinalIgnoreCase))
    {
        Environment.SetEnvironmentVariable(name, null);
    }
}

var existing = (config["Panel:Servers"] ?? "containers").Trim().ToLowerInvariant() switch
{
    "containers" => false,
    "existing" => true,
    var other => throw new InvalidOperationException($"Panel:Servers is '{other}': it is containers or existing."),
};

// The only thing that differs between the two: where the databases and the bus come from.
IResourceBuilder<IResourceWithConnectionString> membershipDb, surveysDb, feedbackDb, reportingDb, gatewayDb, eventBus;
if (existing)
{
    membershipDb = builder.AddConnectionString(ConnectionNames.MembershipDb);
    surveysDb = builder.AddConnectionString(ConnectionNames.SurveysDb);
    feedbackDb = builder.AddConnectionString(ConnectionNames.FeedbackDb);
    reportingDb = builder.AddConnectionString(ConnectionNames.ReportingDb);
    gatewayDb = builder.AddConnectionString(ConnectionNames.GatewayDb);
    eventBus = builder.AddConnectionString(ConnectionNames.EventBus);
}
else
{
    var postgres = builder.AddPostgres("postgres").WithDataVolume();
    membershipDb = postgres.AddDatabase(ConnectionNames.MembershipDb);
    surveysDb = postgres.AddDatabase(ConnectionNames.SurveysDb);
    feedbackDb = postgres.AddDatabase(ConnectionNames.FeedbackDb);
    reportingDb = postgres.AddDatabase(ConnectionNames.ReportingDb);
    gatewayDb = postgres.AddDatabase(ConnectionNames.GatewayDb);
    eventBus = builder.AddRabbitMQ(ConnectionNames.EventBus).WithManagementPlugin();
}

var tokenPrivateKey = builder.AddParameterFromConfiguration("gateway-token-private-key", "GatewayToken:PrivateKey", secret: true)
    .WithDescription("ECDSA P-256 private key (PKCS#8 PEM) with which the gateway signs forwarded requests.");
// A public key is not secret; it is a parameter so that the pair is kept in one place.
var tokenPublicKey = builder.AddParameterFromConfiguration("gateway-token-public-key", "GatewayToken:PublicKey")
    .WithDescription("The matching public key (PEM), with which the services validate the gateway's tokens.");

var membership = AddService<Projects.Panel_Membership>(ServiceNames.Membership, membershipDb);
var surveys = AddService<Projects.Panel_Surveys>(ServiceNames.Surveys, surveysDb);
var feedback = AddService<Projects.Panel_Feedback>(ServiceNames.Feedback, feedbackDb);
var reporting = AddService<Projects.Panel_Reporting>(ServiceNames.Reporting, reportingDb);

// The only process reachable from outside. WithReference(service) gives it services__<name>__http__0.
var gatewayPort = int.TryParse(config["Panel:GatewayPort"], out var port) ? port : (int?)null;
var gateway = builder.AddProject<Projects.Panel_Gateway>(ServiceNames.Gateway, launchProfileName: null)
    .WithHttpEndpoint(port: gatewayPort)
    .WithEndpoint("http", e => e.TargetHost = config["Panel:GatewayHost"] is { Length: > 0 } host ? host : e.TargetHost)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithEnvironment("Database__MigrateOnStart", "true")
    .WithEnvironment("GatewayToken__PrivateKey", tokenPrivateKey)
    .WithReference(gatewayDb)
    .WithReference(membership).WaitFor(membership)
    .WithReference(surveys).WaitFor(surveys)
    .WithReference(feedback).WaitFor(feedback)
    .WithReference(reporting).WaitFor(reporting);
WaitForServer(gateway, gatewayDb);

if (!string.IsNullOrWhiteSpace(config["Bootstrap:AdminEmail"]))
{
    gateway
        .WithEnvironment("Bootstrap__AdminEmail", config["Bootstrap:AdminEmail"])
        .WithEnvironment("Bootstrap__AdminPassword", builder.AddParameterFromConfiguration("bootstrap-admin-password", "Bootstrap:AdminPassword", secret: true));
}

// Membership's emails link to the gateway, and go to a mailbox directory (development) or an SMTP server.
membership.WithEnvironment("Email__PublicBaseUrl", gateway.GetEndpoint("http"));
if (config["Panel:SmtpHost"] is { Length: > 0 } smtpHost)
{
    membership.WithEnvironment("Email__Smtp__Host", smtpHost);
    if (config["Panel:SmtpPort"] is { Length: > 0 } smtpPort)
    {
        membership.WithEnvironment("Email__Smtp__Port", smtpPort);
    }
}
else
{
    membership.WithEnvironment("Email__MailboxPath",
        config["Panel:MailboxPath"] ?? Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".local", "mailbox")));
}

builder.Build().Run();

// A backend service: its own database, the event bus, the gateway's public key. No launch profile:
// the endpoint is Aspire's, so the services need no launchSettings.json.
IResourceBuilder<ProjectResource> AddService<TProject>(string name, IResourceBuilder<IResourceWithConnectionString> database)
    where TProject : IProjectMetadata, new()
{
    var service = builder.AddProject<TProject>(name, launchProfileName: null)
        .WithHttpEndpoint()
        .WithHttpHealthCheck("/health")
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
        .WithEnvironment("Database__MigrateOnStart", "true")
        .WithEnvironment("GatewayToken__PublicKey", tokenPublicKey)
        .WithReference(database)
        .WithReference(eventBus);
    WaitForServer(service, database);
    WaitForServer(service, eventBus);
    return service;
}

// Containers are waited for until healthy; existing servers are taken as running (a connection string has no state).
void WaitForServer(IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithConnectionString> server)
{
    if (!existing)
    {
        project.WaitFor(server);
    }
}
