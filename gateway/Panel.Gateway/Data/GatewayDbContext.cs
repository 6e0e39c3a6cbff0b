using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Panel.Gateway.Staff;

namespace Panel.Gateway.Data;

/// <summary>Staff accounts and roles (ASP.NET Core Identity). The gateway holds no domain data.</summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options)
    : IdentityDbContext<StaffUser, IdentityRole, string>(options);
