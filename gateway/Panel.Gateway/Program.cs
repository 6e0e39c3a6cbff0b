using Panel.Gateway;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
if (await app.MigrateGatewayAsync(args)) return;
app.MapDefaultEndpoints();
app.MapGateway();
app.Run();

public partial class Program;
