using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Panel.Membership.Data;
using Panel.ServiceDefaults;

namespace Panel.Membership.Audit;

public sealed record AuditEntryResponse(
    DateTimeOffset At, string StaffSubject, IReadOnlyList<string> StaffRoles, string Action, string Outcome, string Reason, Guid? MemberId);

public sealed record AuditLogResponse(IReadOnlyList<AuditEntryResponse> Entries, bool Truncated);

public static class AuditEndpoints
{
    public const int MaxRows = 1000;

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/membership").WithTags("Audit")
            .MapGet("/audit", GetAuditLog)
            .RequireAuthorization(PanelPolicies.ItAdmin)
            .WithName("GetAuditLog")
            .WithSummary("Staff accesses to members' data between two instants (ISO 8601), newest first, at most 1000.");
        return app;
    }

    public static async Task<Results<Ok<AuditLogResponse>, ValidationProblem>> GetAuditLog(
        string? from, string? to, MembershipDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var fromAt = Parse(from, "from", errors);
        var toAt = Parse(to, "to", errors);
        if (errors.Count == 0 && fromAt is not null && toAt is not null && toAt < fromAt)
        {
            errors["to"] = ["'to' must not be before 'from'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.AuditEntries.AsNoTracking();
        if (fromAt is { } f)
        {
            query = query.Where(a => a.At >= f);
        }

        if (toAt is { } t)
        {
            query = query.Where(a => a.At <= t);
        }

        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(MaxRows + 1).ToListAsync(ct);
        var entries = rows.Take(MaxRows)
            .Select(a => new AuditEntryResponse(a.At, a.StaffSubject, a.StaffRoles.Split(',', StringSplitOptions.RemoveEmptyEntries), a.Action, a.Outcome, a.Reason, a.MemberId))
            .ToList();
        return TypedResults.Ok(new AuditLogResponse(entries, rows.Count > MaxRows));
    }

    private static DateTimeOffset? Parse(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            && value.Length >= 10 && char.IsAsciiDigit(value[0]))
        {
            return at;
        }

        errors[field] = [$"'{field}' is not a date or time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)."];
        return null;
    }
}
