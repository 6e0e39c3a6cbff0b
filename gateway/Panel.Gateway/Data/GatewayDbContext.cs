using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Panel.Gateway.Accounts;

namespace Panel.Gateway.Data;

/// <summary>
/// Staff accounts and roles (ASP.NET Core Identity) and the Data Protection keys that sign
/// cookies and antiforgery tokens, shared by every gateway replica. The gateway holds no domain data.
/// </summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options)
    : IdentityDbContext<StaffUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The audit log of staff account administration.</summary>
    public DbSet<StaffAccountEvent> StaffAccountEvents => Set<StaffAccountEvent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<StaffAccountEvent>(e =>
        {
            e.ToTable("staff_account_events");
            e.Property(x => x.ActorId).HasMaxLength(450);
            e.Property(x => x.Action).HasMaxLength(40);
            e.Property(x => x.AccountId).HasMaxLength(450);
            e.Property(x => x.Details).HasMaxLength(2000);
            e.HasIndex(x => x.At);
        });
    }
}
