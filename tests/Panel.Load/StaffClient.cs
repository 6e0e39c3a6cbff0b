using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Panel.Load;

/// <summary>
/// A staff member's session at the gateway, as a browser has it: the sign-in form (with its antiforgery
/// token) posted once, then the staff cookie on every API call. The gateway turns the cookie into its
/// own token for the service, with the member's roles, so this goes through the same path as the UI.
/// </summary>
public sealed partial class StaffClient : IDisposable
{
    private readonly HttpClient _http;

    private StaffClient(HttpClient http) => _http = http;

    public HttpClient Http => _http;

    public static async Task<StaffClient> SignInAsync(Uri gateway, string email, string password)
    {
        var handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, MaxConnectionsPerServer = 16 };
        var http = new HttpClient(handler) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(100) };
        var page = await http.GetStringAsync("/staff/sign-in");
        var form = FormRegex().Matches(page).Select(m => m.Value).FirstOrDefault(f => f.Contains("value=\"sign-in\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No sign-in form on {gateway}staff/sign-in");
        var fields = HiddenRegex().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Form.Email"] = email;
        fields["Form.Password"] = password;
        using var response = await http.PostAsync("/staff/sign-in", new FormUrlEncodedContent(fields));
        var signedIn = handler.CookieContainer.GetCookies(gateway).Any(c => c.Name == "panel.staff");
        if (response.StatusCode != HttpStatusCode.Redirect || !signedIn)
        {
            http.Dispose();
            throw new InvalidOperationException($"Staff sign-in as {email} failed ({(int)response.StatusCode}): wrong password, locked out, or rate-limited.");
        }

        return new StaffClient(http);
    }

    /// <summary>Members by state from panel health (null: suppressed as fewer than k).</summary>
    public async Task<Dictionary<string, int?>> MembersByStateAsync()
    {
        using var doc = JsonDocument.Parse(await GetOkAsync("/api/reporting/panel/health?months=1"));
        var byState = doc.RootElement.GetProperty("byState");
        return new[] { "pending", "active", "paused", "withdrawn" }.ToDictionary(
            s => s, s => byState.TryGetProperty(s, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : (int?)null);
    }

    public async Task<string> GetOkAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {Shorten(body)}", null, response.StatusCode);
        }

        return body;
    }

    public async Task<(HttpStatusCode Status, string Body)> PostCsvAsync(string path, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await _http.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, string Body)> PostJsonAsync<T>(string path, T body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string Shorten(string s) => s.Length <= 400 ? s : s[..400] + "…";

    public void Dispose() => _http.Dispose();

    [GeneratedRegex(@"<form\b.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormRegex();

    [GeneratedRegex(@"<input\b(?=[^>]*\btype=""hidden"")(?=[^>]*\bname=""(?<name>[^""]*)"")(?=[^>]*\bvalue=""(?<value>[^""]*)"")[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenRegex();
}
