using Microsoft.EntityFrameworkCore;
using Panel.Contracts;
using Panel.Messaging;
using Panel.Surveys.Data;
using Panel.Surveys.Invitations;

namespace Panel.Surveys.Events;

/// <summary>
/// A member was erased (DESIGN.md section 5, rule 7): their invitations go, with the profile each held, and so do
/// everything else here keyed by those token hashes (an unsent draft, the notices for Membership's progress) and the
/// relayed events that list them. Surveys knows no member id. Anonymous answers stay: nothing in them points here.
/// </summary>
public sealed class MemberDataErasedConsumer(SurveysDbContext db, TimeProvider time, ILogger<MemberDataErasedConsumer> logger)
    : InboxConsumer<MemberDataErased, SurveysDbContext>(db, time, logger)
{
    protected override async Task HandleAsync(MemberDataErased message, CancellationToken ct)
    {
        var hashes = (message.InvitationTokenHashes ?? []).Where(InvitationTokens.IsHash).Distinct().ToArray();
        if (hashes.Length == 0)
        {
            return;
        }

        await Db.Database.ExecuteSqlAsync($"DELETE FROM answer_drafts WHERE key_hash = ANY({hashes})", ct);
        await Db.Database.ExecuteSqlAsync($"DELETE FROM invitation_notices WHERE token_hash = ANY({hashes})", ct);
        await Db.Database.ExecuteSqlAsync($"DELETE FROM invitations WHERE token_hash = ANY({hashes})", ct);
        // A token hash is 64 hex digits: found as a JSON string in a relayed event, it is one of these invitations.
        var patterns = hashes.Select(h => $"%\"{h}\"%").ToArray();
        await Db.Database.ExecuteSqlAsync(
            $"DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND body::text LIKE ANY({patterns})", ct);
    }
}
