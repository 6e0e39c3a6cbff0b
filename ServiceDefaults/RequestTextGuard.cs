using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Refuses, before any endpoint reads the request, text that no endpoint could store or read: a body in a character set
/// other than UTF-8 (415), and NUL characters or unpaired surrogates in the path, the query string, a JSON body or a
/// form (400, problem details naming the field). PostgreSQL cannot store NUL in text or jsonb, and a string with half
/// a surrogate pair cannot be encoded; both used to fail deep inside an endpoint with a 500. Checked once, here, for
/// every endpoint of every service and the gateway.
/// </summary>
public static class RequestTextGuard
{
    private const string NotAllowed = "The text contains characters that are not allowed.";

    public static IApplicationBuilder UseRequestTextGuard(this IApplicationBuilder app) => app.Use(CheckAsync);

    /// <summary>True when <paramref name="text"/> has no NUL and no half of a surrogate pair.</summary>
    public static bool IsStorable(string? text)
    {
        if (text is null)
        {
            return true;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!IsStorable(request.Path.Value))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "path");
            return;
        }

        foreach (var (key, values) in request.Query)
        {
            if (!IsStorable(key) || values.Any(v => !IsStorable(v)))
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, IsStorable(key) ? key : "query");
                return;
            }
        }

        if (request.ContentType is { } declared && !MediaTypeHeaderValue.TryParse(declared, out _))
        {
            await UnsupportedAsync(context, "The body's content type could not be read.");
            return;
        }

        if (request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            // Every charset parameter (a second one would be read by some and not by others) must say UTF-8.
            var charsets = mediaType.Parameters.Where(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)).Select(p => p.Value.Value?.Trim('"') ?? "").ToList();
            var isText = IsJson(mediaType) || IsForm(mediaType) || mediaType.Type.Equals("text", StringComparison.OrdinalIgnoreCase);
            if (isText && (charsets.Count > 1 || charsets.Any(c => !IsUtf8(c))))
            {
                await UnsupportedAsync(context, "Send the body in UTF-8.");
                return;
            }

            try
            {
                var field = IsJson(mediaType) ? await JsonFieldNotStorableAsync(request, context.RequestAborted)
                    : IsForm(mediaType) && request.HasFormContentType ? await FormFieldNotStorableAsync(request, context.RequestAborted)
                    : null;
                if (field is not null)
                {
                    await RefuseAsync(context, StatusCodes.Status400BadRequest, field);
                    return;
                }
            }
            catch (BadHttpRequestException bad)
            {
                // Over the size limit (413) or cut short: answered here, as the endpoint would have.
                context.Response.StatusCode = bad.StatusCode;
                await WriteAsync(context, new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = bad.StatusCode,
                    Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request was not valid.",
                });
                return;
            }
            catch (InvalidDataException)
            {
                // A form that cannot be read (too many fields, a malformed multipart body).
                await RefuseAsync(context, StatusCodes.Status400BadRequest, "form", "The form could not be read.");
                return;
            }
        }

        await next(context);
    }

    private static bool IsJson(MediaTypeHeaderValue mediaType) =>
        mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsForm(MediaTypeHeaderValue mediaType) =>
        mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        || mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    private static bool IsUtf8(string charset) =>
        charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The path of the first string in the JSON body (a value or a property name) that is not storable, or null. The body
    /// is buffered and rewound for the endpoint; a body that is not JSON is left to the endpoint, which refuses it.
    /// </summary>
    private static async Task<string?> JsonFieldNotStorableAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        request.Body.Position = 0;
        if (buffer.Length == 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var path = new List<object>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        Advance(path);
                        path.Add("");
                        break;
                    case JsonTokenType.StartArray:
                        Advance(path);
                        path.Add(-1);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = ReadString(ref reader);
                        if (name is null || !IsStorable(name))
                        {
                            path.RemoveAt(path.Count - 1);
                            return PathOf(path, null);
                        }

                        path[^1] = name;
                        break;
                    case JsonTokenType.String:
                        Advance(path);
                        if (ReadString(ref reader) is not { } value || !IsStorable(value))
                        {
                            return PathOf(path, null);
                        }

                        break;
                    default:
                        Advance(path);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>A value in an array moves its index on; in an object the property name already placed it.</summary>
    private static void Advance(List<object> path)
    {
        if (path.Count > 0 && path[^1] is int index)
        {
            path[^1] = index + 1;
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8, or an escaped half of a surrogate pair.
            return null;
        }
    }

    /// <summary>"answers.q1[2]" as the services name fields; the body itself when the top level is at fault.</summary>
    private static string PathOf(List<object> path, string? last)
    {
        var builder = new StringBuilder();
        foreach (var part in path.Append(last))
        {
            switch (part)
            {
                case int index:
                    builder.Append('[').Append(index).Append(']');
                    break;
                case string { Length: > 0 } name when IsStorable(name):
                    builder.Append(builder.Length > 0 ? "." : "").Append(name);
                    break;
            }
        }

        return builder.Length > 0 ? builder.ToString() : "body";
    }

    private static async Task<string?> FormFieldNotStorableAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Buffered and rewound: an endpoint may read the body itself (a multipart upload) after this.
        request.EnableBuffering();
        var form = await request.ReadFormAsync(cancellationToken);
        request.Body.Position = 0;
        foreach (var (key, values) in form)
        {
            if (!IsStorable(key))
            {
                return "form";
            }

            if (values.Any(v => !IsStorable(v)))
            {
                return key;
            }
        }

        return form.Files.Any(f => !IsStorable(f.Name) || !IsStorable(f.FileName)) ? "file" : null;
    }

    private static async Task UnsupportedAsync(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        await WriteAsync(context, new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status415UnsupportedMediaType,
            Title = "The body's character set or content type is not supported.",
            Detail = detail,
        });
    }

    private static async Task RefuseAsync(HttpContext context, int status, string field, string message = NotAllowed)
    {
        context.Response.StatusCode = status;
        await WriteAsync(context, new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = status,
            Title = "One or more validation errors occurred.",
        });
    }

    private static Task WriteAsync(HttpContext context, Microsoft.AspNetCore.Mvc.ProblemDetails problem) =>
        context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        }).AsTask();
}

/// <summary>Puts <see cref="RequestTextGuard"/> in front of a service's pipeline.</summary>
internal sealed class RequestTextGuardFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseRequestTextGuard();
        next(app);
    };
}
