using System.Text.Json;
using Microsoft.Extensions.Options;
using Panel.Surveys.Definitions;

namespace Panel.Surveys.Answering;

/// <summary>
/// The database side of an invitation submit, grouped across concurrent submits (<see cref="StatementGroups{TItem,TResult}"/>):
/// invitations are read many to a statement, and answers are stored many to a statement and a commit (group
/// commit), through <see cref="AnsweringDatabase"/>. A submit is answered only after its group has committed:
/// nothing acknowledged is lost. A group stores at most one answer per invitation; another one for the same
/// invitation is told "not stored" once the group has committed, so its submit reads again and finds it answered,
/// as it would have after queuing on the invitation's lock.
/// </summary>
public sealed class InvitationAnswers : IAsyncDisposable
{
    public const int MaxGroup = 64;

    private readonly StatementGroups<string, InvitationSubmission.InvitationState?> reads;
    private readonly StatementGroups<InvitationSubmission.Answer, bool> writes;

    public InvitationAnswers(AnsweringDatabase database, IOptions<SurveysOptions> options, ILogger<InvitationAnswers> logger)
    {
        var workers = options.Value.AnswerGroupWorkers;
        reads = new(workers, MaxGroup, async hashes =>
        {
            var found = await InvitationSubmission.FindAsync(database, hashes.Distinct(StringComparer.Ordinal).ToArray(), CancellationToken.None);
            return hashes.Select(h => found.GetValueOrDefault(h)).ToArray();
        }, logger);
        writes = new(workers, MaxGroup, async answers =>
        {
            var stored = await InvitationSubmission.StoreAsync(database, answers.DistinctBy(a => a.Hash, StringComparer.Ordinal).ToArray(), CancellationToken.None);
            return answers.Select(a => stored.Contains(a.Id)).ToArray();
        }, logger);
    }

    /// <summary>The invitation of a token hash, read without locks; null if there is none.</summary>
    public Task<InvitationSubmission.InvitationState?> FindAsync(string hash) => reads.RunAsync(hash);

    /// <summary>True when stored; false when nothing was (answered meanwhile, survey closed or revised: read again to tell which).</summary>
    public Task<bool> StoreAsync(Survey survey, string hash, string channel, IReadOnlyDictionary<string, JsonElement> answers, TimeProvider time) =>
        writes.RunAsync(new InvitationSubmission.Answer(
            hash, survey.Id, survey.DefinitionVersion,
            Guid.NewGuid(), // random (v4): says nothing of when
            Submissions.Day(time.GetUtcNow()), channel, DefinitionJson.Serialize(AnswerSets.Masked(survey.Definition, answers))));

    public async ValueTask DisposeAsync()
    {
        await reads.DisposeAsync();
        await writes.DisposeAsync();
    }
}
