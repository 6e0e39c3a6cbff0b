using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Panel.Contracts;
using Panel.Membership.Data;
using Panel.Messaging;
using Panel.ServiceDefaults;

namespace Panel.Membership.Population;

/// <summary>What a successful upload stored: its version, when, how many groups and residents.</summary>
public sealed record PopulationReferencePublishedResponse(int Version, DateTimeOffset PublishedAt, int Groups, long Total);

public sealed record PopulationReferenceRowResponse(string Municipality, string AgeBand, string Gender, int Count);

public sealed record PopulationReferenceResponse(
    int Version, DateTimeOffset PublishedAt, string PublishedBy, int Groups, long Total, IReadOnlyList<PopulationReferenceRowResponse> Rows);

public static class PopulationReferenceEndpoints
{
    public const string Path = "/api/membership/population-reference";
    public const string FileField = "file";

    private static readonly string[] CsvMediaTypes = ["text/csv", "application/csv", "text/plain"];

    public static IEndpointRouteBuilder MapPopulationReferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Population reference").RequireAuthorization(PanelPolicies.Coordinator);
        group.MapPost("", Publish)
            .WithName("PublishPopulationReference")
            .AddOpenApiOperationTransformer(DocumentFileBody)
            .WithSummary("Publishes the county's population by municipality, age band and gender as the next reference version.")
            .WithDescription(
                "The body is the CSV file itself (Content-Type text/csv), or multipart/form-data with the file in the field \"file\". " +
                "Header municipality,age_band,gender,count (',' or ';' between values, UTF-8 with or without a byte order mark); " +
                "one line per group, at most 5000. Municipalities are the county's, age bands 15-24 … 85+, gender woman or man " +
                "(population statistics have two), count 0-10000000; a group left out has no residents. Every bad line is reported " +
                "(keys \"line N.column\", \"line N\", and \"file\" for the file as a whole) and nothing is stored. On success Reporting " +
                "is told (PopulationReferencePublished) in the same transaction.");
        group.MapGet("", GetCurrent)
            .WithName("GetPopulationReference")
            .WithSummary("The current population reference: its version, who published it and when, and its groups.");
        return app;
    }

    /// <summary>The body the handler reads itself (<see cref="ReadFileAsync"/>), as the OpenAPI document describes it.</summary>
    private static Task DocumentFileBody(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { FileField },
                        Properties = new Dictionary<string, IOpenApiSchema> { [FileField] = binary },
                    },
                },
                ["text/csv"] = new() { Schema = binary },
            },
        };
        return Task.CompletedTask;
    }

    public static async Task<Results<Created<PopulationReferencePublishedResponse>, ValidationProblem, ProblemHttpResult>> Publish(
        HttpRequest request, ClaimsPrincipal user, MembershipDbContext db, IOptions<MembershipOptions> options, TimeProvider time,
        CancellationToken ct)
    {
        var (file, problem) = await ReadFileAsync(request, ct);
        if (problem is not null)
        {
            return problem;
        }

        var parsed = PopulationCsv.Parse(file, options.Value.Municipalities);
        if (!parsed.IsValid)
        {
            return TypedResults.ValidationProblem(parsed.Errors, title: "The population reference file has problems; nothing was stored.");
        }

        var now = time.GetUtcNow();
        // As PostgreSQL stores it (microseconds), so the answer, the event and a later read agree.
        var publishedAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One publisher at a time, so each gets its own next number.
        await db.Database.ExecuteSqlRawAsync("LOCK TABLE population_references IN EXCLUSIVE MODE", ct);
        var version = (await db.PopulationReferences.MaxAsync(r => (int?)r.Version, ct) ?? 0) + 1;
        var reference = new PopulationReference
        {
            Version = version,
            PublishedAt = publishedAt,
            PublishedBy = user.FindFirstValue(PanelClaims.Subject) ?? "unknown",
            Groups = parsed.Rows.Count,
            Total = parsed.Rows.Sum(r => (long)r.Count),
            Rows = parsed.Rows.Select(r => new PopulationReferenceRow
            {
                Version = version, Municipality = r.Municipality, AgeBand = r.AgeBand, Gender = r.Gender, Count = r.Count,
            }).ToList(),
        };
        db.PopulationReferences.Add(reference);
        db.AddEvent(new PopulationReferencePublished(
            version, publishedAt, parsed.Rows.Select(r => new PopulationGroupSnapshot(r.Municipality, r.AgeBand, r.Gender, r.Count)).ToList()), time);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        return TypedResults.Created(Path, new PopulationReferencePublishedResponse(version, publishedAt, reference.Groups, reference.Total));
    }

    public static async Task<Results<Ok<PopulationReferenceResponse>, ProblemHttpResult>> GetCurrent(MembershipDbContext db, CancellationToken ct)
    {
        var current = await db.PopulationReferences.AsNoTracking().OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return TypedResults.Problem(title: "No population reference has been published.", statusCode: StatusCodes.Status404NotFound);
        }

        var rows = await db.PopulationReferenceRows.AsNoTracking().Where(r => r.Version == current.Version).ToListAsync(ct);
        var ordered = rows
            .OrderBy(r => r.Municipality, StringComparer.Ordinal)
            .ThenBy(r => r.AgeBand, StringComparer.Ordinal)
            .ThenBy(r => r.Gender == "woman" ? 0 : 1)
            .Select(r => new PopulationReferenceRowResponse(r.Municipality, r.AgeBand, r.Gender, r.Count))
            .ToList();
        return TypedResults.Ok(new PopulationReferenceResponse(current.Version, current.PublishedAt, current.PublishedBy, current.Groups, current.Total, ordered));
    }

    /// <summary>
    /// The uploaded file: the body itself (text/csv), or the "file" field of a multipart form. The body is read
    /// up to the services' limit; a larger one (also one sent without a declared length) is a 413.
    /// </summary>
    private static async Task<(byte[] File, ProblemHttpResult? Problem)> ReadFileAsync(HttpRequest request, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value is not { } mediaType)
        {
            return ([], UnsupportedMediaType());
        }

        var isMultipart = mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (!isMultipart && !CsvMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return ([], UnsupportedMediaType());
        }

        var charset = contentType.Charset.Value;
        if (!isMultipart && charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return ([], UnsupportedMediaType());
        }

        var body = await ReadBoundedAsync(request.Body, ct);
        if (body is null)
        {
            return ([], TooLarge());
        }

        if (!isMultipart)
        {
            return (body, null);
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary))
        {
            return ([], FormProblem("The multipart form has no boundary."));
        }

        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body));
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    // A file field (with a file name) or a plain one: either holds the CSV.
                    && disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(FileField, StringComparison.Ordinal))
                {
                    using var file = new MemoryStream();
                    await section.Body.CopyToAsync(file, ct);
                    return (file.ToArray(), null);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return ([], FormProblem("The multipart form could not be read."));
        }

        return ([], FormProblem($"The form has no file in the field \"{FileField}\"."));
    }

    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        var limit = ServiceApiExtensions.MaxRequestBodyBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult UnsupportedMediaType() => TypedResults.Problem(
        title: "Send the population reference as CSV.",
        detail: "Use Content-Type text/csv (UTF-8) with the file as the body, or multipart/form-data with the file in the field \"file\".",
        statusCode: StatusCodes.Status415UnsupportedMediaType);

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        title: "The request body is too large.",
        detail: $"At most {ServiceApiExtensions.MaxRequestBodyBytes} bytes.",
        statusCode: StatusCodes.Status413PayloadTooLarge);

    // A ValidationProblem would do, but the result type is shared with the other problems of reading the body.
    private static ProblemHttpResult FormProblem(string message) => TypedResults.Problem(new HttpValidationProblemDetails(
        new Dictionary<string, string[]> { [PopulationCsv.FileKey] = [message] })
    {
        Title = "The population reference file has problems; nothing was stored.",
        Status = StatusCodes.Status400BadRequest,
    });
}
