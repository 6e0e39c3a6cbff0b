using Panel.Surveys;
using Panel.Surveys.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSurveys();

var app = builder.BuildService();
if (await app.MigrateAsync<SurveysDbContext>(args)) return;
app.MapDefaultEndpoints();
app.MapSurveysEndpoints();
app.Run();

public partial class Program;
