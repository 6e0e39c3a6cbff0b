using Panel.Reporting;
using Panel.Reporting.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddReporting();

var app = builder.BuildService();
if (await app.MigrateAsync<ReportingDbContext>(args)) return;
app.MapDefaultEndpoints();
app.MapReportingEndpoints();
app.Run();

public partial class Program;
