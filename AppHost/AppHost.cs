using Panel;

// Panel for development with Docker: PostgreSQL, RabbitMQ, the four services and the gateway.
//
// Two values come from the developer's user secrets (Aspire asks for them in the dashboard when
// they are missing): the gateway-token key pair, ECDSA P-256, with which the gateway signs what
// it forwards and the services check it.
//
//   openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out gateway-token.key
//   openssl ec -in gateway-token.key -pubout -out gateway-token.pub
//   dotnet user-secrets --project AppHost set "Parameters:gateway-token-private-key" "$(cat gateway-token.key)"
//   dotnet user-secrets --project AppHost set "Parameters:gateway-token-public-key" "$(cat gateway-token.pub)"
//
// Optional, the first staff account (created by the gateway when both are set):
//   dotnet user-secrets --project AppHost set "Parameters:bootstrap-admin-email" "admin@example.org"
//   dotnet user-secrets --project AppHost set "Parameters:bootstrap-admin-password" "..."

var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres").WithDataVolume();
var membershipDb = postgres.AddDatabase(ConnectionNames.MembershipDb);
var surveysDb = postgres.AddDatabase(ConnectionNames.SurveysDb);
var feedbackDb = postgres.AddDatabase(ConnectionNames.FeedbackDb);
var reportingDb = postgres.AddDatabase(ConnectionNames.ReportingDb);
var gatewayDb = postgres.AddDatabase(ConnectionNames.GatewayDb);

var eventBus = builder.AddRabbitMQ(ConnectionNames.EventBus).WithManagementPlugin();

var tokenPrivateKey = builder.AddParameter("gateway-token-private-key", secret: true)
    .WithDescription("ECDSA P-256 private key (PKCS#8 PEM) with which the gateway signs forwarded requests.");
// A public key is not secret; it is a parameter so that the pair is kept in one place.
var tokenPublicKey = builder.AddParameter("gateway-token-public-key")
    .WithDescription("The matching public key (PEM), with which the services validate the gateway's tokens.");

var membership = AddService<Projects.Panel_Membership>(ServiceNames.Membership, membershipDb);
var surveys = AddService<Projects.Panel_Surveys>(ServiceNames.Surveys, surveysDb);
var feedback = AddService<Projects.Panel_Feedback>(ServiceNames.Feedback, feedbackDb);
var reporting = AddService<Projects.Panel_Reporting>(ServiceNames.Reporting, reportingDb);

// The only process reachable from outside. WithReference(service) gives it services__<name>__http__0.
var gateway = builder.AddProject<Projects.Panel_Gateway>(ServiceNames.Gateway, launchProfileName: null)
    .WithHttpEndpoint()
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithEnvironment("Database__MigrateOnStart", "true")
    .WithEnvironment("GatewayToken__PrivateKey", tokenPrivateKey)
    .WithReference(gatewayDb).WaitFor(gatewayDb)
    .WithReference(membership).WaitFor(membership)
    .WithReference(surveys).WaitFor(surveys)
    .WithReference(feedback).WaitFor(feedback)
    .WithReference(reporting).WaitFor(reporting);

if (!string.IsNullOrWhiteSpace(builder.Configuration["Parameters:bootstrap-admin-email"]))
{
    gateway
        .WithEnvironment("Bootstrap__AdminEmail", builder.AddParameter("bootstrap-admin-email"))
        .WithEnvironment("Bootstrap__AdminPassword", builder.AddParameter("bootstrap-admin-password", secret: true));
}

builder.Build().Run();

// A backend service: its own database, the event bus, the gateway's public key. No launch profile:
// the endpoint is Aspire's, so the services need no launchSettings.json.
IResourceBuilder<ProjectResource> AddService<TProject>(string name, IResourceBuilder<PostgresDatabaseResource> database)
    where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(name, launchProfileName: null)
        .WithHttpEndpoint()
        .WithHttpHealthCheck("/health")
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
        .WithEnvironment("Database__MigrateOnStart", "true")
        .WithEnvironment("GatewayToken__PublicKey", tokenPublicKey)
        .WithReference(database).WaitFor(database)
        .WithReference(eventBus).WaitFor(eventBus);
