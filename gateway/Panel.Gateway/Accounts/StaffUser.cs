using Microsoft.AspNetCore.Identity;

namespace Panel.Gateway.Accounts;

/// <summary>A staff member's account. Answers are never recorded under it.</summary>
public sealed class StaffUser : IdentityUser
{
    public string? DisplayName { get; set; }
}
