using Panel.Membership;
using Panel.Membership.Data;
using Panel.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMembership();

var app = builder.Build();
if (await app.MigrateAsync<MembershipDbContext>(args)) return;
app.MapDefaultEndpoints();
app.MapMembershipEndpoints();
app.Run();

public partial class Program;
