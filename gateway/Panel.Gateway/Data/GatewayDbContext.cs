using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Panel.Gateway.Accounts;
using Panel.Gateway.Security;

namespace Panel.Gateway.Data;

/// <summary>
/// Staff accounts and roles (ASP.NET Core Identity) and the Data Protection keys that sign
/// cookies and antiforgery tokens, shared by every gateway replica, and the open sessions. The gateway holds no
/// domain data.
/// </summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options)
    : IdentityDbContext<StaffUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The audit log of staff account administration.</summary>
    public DbSet<StaffAccountEvent> StaffAccountEvents => Set<StaffAccountEvent>();

    /// <summary>Open staff and resident sessions (the cookies carry their ids).</summary>
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

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
        builder.Entity<SessionRecord>(e =>
        {
            e.ToTable("sessions");
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(10);
            e.HasOne(x => x.StaffUser).WithMany().HasForeignKey(x => x.StaffUserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.LastSeenAt);
        });
    }
}
