using Panel.Membership;
using Panel.Membership.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMembership();

var app = builder.BuildService();
if (await app.MigrateAsync<MembershipDbContext>(args)) return;
app.MapDefaultEndpoints();
app.MapMembershipEndpoints();
app.Run();

public partial class Program;
