using Panel.Feedback;
using Panel.Feedback.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFeedback();

var app = builder.BuildService();
if (await app.MigrateAsync<FeedbackDbContext>(args)) return;
app.MapDefaultEndpoints();
app.MapFeedbackEndpoints();
app.Run();

public partial class Program;
