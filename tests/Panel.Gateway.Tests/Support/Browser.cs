using System.Net;
using System.Text.RegularExpressions;

namespace Panel.Gateway.Tests.Support;

/// <summary>A form of a rendered page: where it posts and its hidden fields (antiforgery token, _handler, ...).</summary>
public sealed record HtmlForm(string? Action, IReadOnlyDictionary<string, string> Hidden);

/// <summary>A response as a browser would hold it: the address it came from, the status and the HTML.</summary>
public sealed partial class Page(Uri url, HttpResponseMessage response, string html)
{
    public Uri Url { get; } = url;
    public HttpResponseMessage Response { get; } = response;
    public HttpStatusCode Status => Response.StatusCode;
    public string Html { get; } = html;

    /// <summary>The HTML with entities decoded, for comparing with the UI's texts.</summary>
    public string Text { get; } = WebUtility.HtmlDecode(html);

    /// <summary>The redirect target, made absolute against the page's own address.</summary>
    public Uri? Location => Response.Headers.Location is { } location ? new Uri(Url, location) : null;

    public IEnumerable<string> SetCookies =>
        Response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    public bool SetsCookie(string name) => SetCookies.Any(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    public IEnumerable<HtmlForm> Forms =>
        FormRegex().Matches(Html).Select(m =>
        {
            var attributes = Attributes(m.Groups["open"].Value);
            var hidden = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match input in InputRegex().Matches(m.Groups["body"].Value))
            {
                var a = Attributes(input.Value);
                if (a.TryGetValue("type", out var type) && type == "hidden" && a.TryGetValue("name", out var name))
                {
                    hidden[name] = a.GetValueOrDefault("value", "");
                }
            }

            return new HtmlForm(attributes.GetValueOrDefault("action"), hidden);
        });

    /// <summary>The form whose Blazor handler (_handler) is <paramref name="name"/>, or that posts to it.</summary>
    public HtmlForm Form(string name) =>
        Forms.FirstOrDefault(f => f.Hidden.GetValueOrDefault("_handler") == name || f.Action == name)
        ?? throw new Xunit.Sdk.XunitException($"No form '{name}' on {Url} ({(int)Status}):\n{Html}");

    public bool HasForm(string name) => Forms.Any(f => f.Hidden.GetValueOrDefault("_handler") == name || f.Action == name);

    /// <summary>The attributes of the element with this id (input, select, p, ...).</summary>
    public IReadOnlyDictionary<string, string> Element(string id)
    {
        foreach (Match tag in TagRegex().Matches(Html))
        {
            var attributes = Attributes(tag.Value);
            if (attributes.GetValueOrDefault("id") == id)
            {
                return attributes;
            }
        }

        throw new Xunit.Sdk.XunitException($"No element with id '{id}' on {Url}:\n{Html}");
    }

    public bool HasElement(string id) => TagRegex().Matches(Html).Any(t => Attributes(t.Value).GetValueOrDefault("id") == id);

    private static Dictionary<string, string> Attributes(string tag) =>
        AttributeRegex().Matches(tag).GroupBy(m => m.Groups["name"].Value.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["value"].Value), StringComparer.Ordinal);

    [GeneratedRegex(@"(?<open><form\b[^>]*>)(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormRegex();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputRegex();

    [GeneratedRegex(@"<[a-zA-Z][a-zA-Z0-9]*\b[^>]*>")]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"(?<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*""(?<value>[^""]*)""")]
    private static partial Regex AttributeRegex();
}

/// <summary>An HttpClient that keeps cookies and follows no redirects, with form submission as a browser does it.</summary>
public sealed class Browser(HttpClient http)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public HttpClient Http { get; } = http;

    /// <summary>The value this browser was last given for cookie <paramref name="name"/> (what a copy of it would hold).</summary>
    public string Cookie(string name) =>
        _cookies.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new Xunit.Sdk.XunitException($"No cookie {name} was set.");

    public async Task<Page> GetAsync(string url)
    {
        var address = new Uri(Http.BaseAddress!, url);
        var response = await Http.GetAsync(address);
        return await PageAsync(address, response);
    }

    private async Task<Page> PageAsync(Uri address, HttpResponseMessage response)
    {
        var page = new Page(address, response, await response.Content.ReadAsStringAsync());
        foreach (var cookie in page.SetCookies)
        {
            var pair = cookie.Split(';')[0];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                _cookies[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return page;
    }

    /// <summary>Posts a form of <paramref name="page"/> with its hidden fields and <paramref name="fields"/>, like pressing its button.</summary>
    public async Task<Page> SubmitAsync(Page page, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var form = page.Form(formName);
        var values = new Dictionary<string, string>(form.Hidden);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return await PostAsync(string.IsNullOrEmpty(form.Action) ? page.Url : new Uri(page.Url, form.Action), values);
    }

    public async Task<Page> PostAsync(Uri address, IReadOnlyDictionary<string, string> values)
    {
        using var content = new FormUrlEncodedContent(values);
        var response = await Http.PostAsync(address, content);
        return await PageAsync(address, response);
    }

    /// <summary>Posts a form as multipart/form-data with one file, as a browser does for a form with a file input.</summary>
    public async Task<Page> SubmitFileAsync(Page page, string formName, string fileField, string fileName, byte[]? file, IReadOnlyDictionary<string, string>? fields = null)
    {
        var form = page.Form(formName);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in form.Hidden.Concat(fields ?? new Dictionary<string, string>()))
        {
            content.Add(new StringContent(value), name);
        }

        if (file is null)
        {
            // No file chosen: a browser sends the field with an empty file name, which the server reads as no file.
            content.Add(new StringContent(""), fileField);
        }
        else
        {
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            content.Add(part, fileField, fileName);
        }

        var address = string.IsNullOrEmpty(form.Action) ? page.Url : new Uri(page.Url, form.Action);
        var response = await Http.PostAsync(address, content);
        return await PageAsync(address, response);
    }

    public async Task<Page> SignInAsync(string email, string password, string? returnUrl = null)
    {
        var page = await GetAsync(returnUrl is null ? "/staff/sign-in" : "/staff/sign-in?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        return await SubmitAsync(page, "sign-in", new Dictionary<string, string>
        {
            ["Form.Email"] = email,
            ["Form.Password"] = password,
        });
    }
}
