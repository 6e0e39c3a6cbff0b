using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Panel.Gateway.Staff;

namespace Panel.Gateway.Data;

/// <summary>
/// Staff accounts and roles (ASP.NET Core Identity) and the Data Protection keys that sign
/// cookies and antiforgery tokens, shared by every gateway replica. The gateway holds no domain data.
/// </summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options)
    : IdentityDbContext<StaffUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}
