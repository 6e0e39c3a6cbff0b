using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Panel.Load;

/// <summary>
/// The invitations benchmark's SMTP server: Debian's aiosmtpd (a real SMTP server speaking the protocol over TCP),
/// with one of two handlers. "append" (default) is a small handler of the benchmark's own that appends every accepted
/// message (envelope sender, recipients, the raw message) to one file and reports the count on stdout; "maildir" is
/// aiosmtpd's own Mailbox handler, which parses and rewrites each message into a Maildir file of its own (measured
/// here at about 2.6 ms of file creation per message: the sink itself caps at a few hundred emails per second).
/// </summary>
internal sealed partial class SmtpSink : IDisposable
{
    /// <summary>aiosmtpd's handler protocol: handle_DATA returns the reply; from_cli builds it from the -c arguments.</summary>
    private const string HandlerSource = """
        # The Panel invitations benchmark's aiosmtpd handler: accepts each message, appends it to one file
        # (a line "<length> <mail from> <recipients>", then the raw message) and prints the count on stdout.
        import sys


        class AppendToFile:
            def __init__(self, path):
                self.file = open(path, "ab")
                self.count = 0

            async def handle_DATA(self, server, session, envelope):
                content = envelope.original_content
                header = f"{len(content)} {envelope.mail_from} {','.join(envelope.rcpt_tos)}\n".encode()
                self.file.write(header + content + b"\n")
                self.file.flush()
                self.count += 1
                sys.stdout.write(f"{self.count}\n")
                sys.stdout.flush()
                return "250 Message accepted for delivery"

            @classmethod
            def from_cli(cls, parser, *args):
                if len(args) != 1:
                    parser.error("AppendToFile needs the file to append to")
                return cls(args[0])
        """;

    private readonly Process _process;
    private readonly Stopwatch _clock;
    private long _accepted;
    private long _lastAcceptedTicks;

    public string Kind { get; }
    public string Store { get; }
    public int Port { get; }

    private SmtpSink(string kind, string store, int port, Stopwatch clock, Func<Action<string>?, Process> start)
    {
        Kind = kind;
        Store = store;
        Port = port;
        _clock = clock;
        _process = start(kind == "append" ? OnLine : null);
    }

    public static SmtpSink Start(string kind, string directory, string name, int port, Stopwatch clock, Func<string, string[], Dictionary<string, string>, string, Action<string>?, Process> startProcess)
    {
        if (kind is not ("append" or "maildir"))
        {
            throw new UsageException($"--sink must be append or maildir, not '{kind}'");
        }

        File.WriteAllText(Path.Combine(directory, "panel_bench_sink.py"), HandlerSource);
        var store = Path.Combine(directory, kind == "append" ? name + ".eml" : name);
        string[] handler = kind == "append" ? ["-c", "panel_bench_sink.AppendToFile", store] : ["-c", "aiosmtpd.handlers.Mailbox", store];
        return new SmtpSink(kind, store, port, clock, onLine => startProcess("/usr/bin/python3",
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", .. handler],
            new Dictionary<string, string> { ["PYTHONPATH"] = directory, ["PYTHONUNBUFFERED"] = "1" },
            Path.Combine(directory, name + ".log"), onLine));
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The messages accepted so far. Maildir: counts the files (the benchmark polls it sparingly, it reads the folder).</summary>
    public long Accepted => Kind == "append"
        ? Interlocked.Read(ref _accepted)
        : Directory.Exists(Path.Combine(Store, "new")) ? Directory.EnumerateFiles(Path.Combine(Store, "new")).LongCount() : 0;

    /// <summary>When the last message was accepted (append: as the handler reported it; maildir: null, the poll decides).</summary>
    public TimeSpan? LastAccepted => Kind == "append" ? TimeSpan.FromTicks(Interlocked.Read(ref _lastAcceptedTicks)) : null;

    private void OnLine(string line)
    {
        if (long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            Interlocked.Exchange(ref _lastAcceptedTicks, _clock.Elapsed.Ticks);
            Interlocked.Exchange(ref _accepted, n);
        }
    }

    /// <summary>The stored messages: (envelope recipient or To header, raw message).</summary>
    public IEnumerable<(string To, string Raw)> Messages()
    {
        if (Kind == "maildir")
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Store, "new")))
            {
                var raw = File.ReadAllText(file, Encoding.UTF8);
                yield return (ToHeader().Match(raw).Groups[1].Value.Trim(), raw);
            }

            yield break;
        }

        var bytes = File.ReadAllBytes(Store);
        var at = 0;
        while (at < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', at);
            var header = Encoding.ASCII.GetString(bytes, at, end - at).Split(' ');
            var length = int.Parse(header[0], CultureInfo.InvariantCulture);
            yield return (header[2], Encoding.UTF8.GetString(bytes, end + 1, length));
            at = end + 1 + length + 1;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    /// <summary>
    /// The sink's ceiling: <paramref name="count"/> invitation-sized messages sent over <paramref name="connections"/>
    /// connections by a minimal SMTP client (no rendering, no database), as fast as the sink accepts them.
    /// </summary>
    public static async Task<double> CeilingAsync(int port, int count, int connections)
    {
        var body = new StringBuilder();
        body.Append("Hei,\r\n\r\nsinut on valittu satunnaisesti vastaamaan hyvinvointialueen asukaspaneelin kyselyyn.\r\n\r\n");
        for (var i = 0; i < 9; i++)
        {
            body.Append("Vertailukysely: kutsujen nopeus, tekstiä suunnilleen oikean kutsun verran ja vähän yli.\r\n");
        }

        body.Append("\r\nhttp://panel.bench/answer?t=").Append('A', 43).Append("\r\n\r\nAsukaspaneeli\r\n");
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync("127.0.0.1", port);
            await using var stream = tcp.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = false };
            await ExpectAsync(reader, "220");
            await CommandAsync(writer, reader, "EHLO bench.invalid", "250");
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                await CommandAsync(writer, reader, "MAIL FROM:<panel@example.fi>", "250");
                await CommandAsync(writer, reader, $"RCPT TO:<ceiling.{n}@example.invalid>", "250");
                await CommandAsync(writer, reader, "DATA", "354");
                await writer.WriteAsync($"From: panel@example.fi\r\nTo: ceiling.{n}@example.invalid\r\nSubject: Kutsu kyselyyn: Vertailukysely\r\n"
                    + $"Message-ID: <{n}@ceiling.bench>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}.");
                await CommandAsync(writer, reader, "", "250");
            }

            await CommandAsync(writer, reader, "QUIT", "221");
        }));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task CommandAsync(StreamWriter writer, StreamReader reader, string command, string expect)
    {
        await writer.WriteLineAsync(command);
        await writer.FlushAsync();
        await ExpectAsync(reader, expect);
    }

    private static async Task ExpectAsync(StreamReader reader, string code)
    {
        string? line;
        do
        {
            line = await reader.ReadLineAsync() ?? throw new IOException("the SMTP sink closed the connection");
        }
        while (line.Length > 3 && line[3] == '-');
        if (!line.StartsWith(code, StringComparison.Ordinal))
        {
            throw new IOException($"the SMTP sink answered '{line}', expected {code}");
        }
    }

    /// <summary>
    /// Checks every stored email against the invitations in the database: one email per invitation, to its member's
    /// address, in the invitation's language (Content-Language and the greeting), carrying a link whose token hashes
    /// to that invitation's token hash. Returns the problems found (none when all is well).
    /// </summary>
    public static List<string> Verify(IEnumerable<(string To, string Raw)> messages, IReadOnlyDictionary<string, (string Email, string Language)> invitations)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var (to, stored) in messages)
        {
            count++;
            var raw = stored.Replace("\r\n", "\n", StringComparison.Ordinal);
            var link = Link().Match(raw.Replace("=\n", "", StringComparison.Ordinal));
            if (!link.Success)
            {
                Problem($"an email to {to} has no invitation link");
                continue;
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(link.Groups["token"].Value)));
            if (!invitations.TryGetValue(hash, out var invitation))
            {
                Problem($"an email to {to} links to no invitation of the survey");
                continue;
            }

            if (!seen.Add(hash))
            {
                Problem($"an invitation was emailed twice ({to})");
            }

            if (!string.Equals(invitation.Email, to, StringComparison.OrdinalIgnoreCase))
            {
                Problem($"an invitation went to {to}, not to its member");
            }

            var language = ContentLanguage().Match(raw).Groups[1].Value;
            var greeting = invitation.Language switch { "fi" => "Hei,", "sv" => "Hej,", _ => "Hello," };
            if (language != invitation.Language || !raw.Contains("\n\n" + greeting, StringComparison.Ordinal))
            {
                Problem($"an invitation to {to} is not in its language {invitation.Language} (Content-Language '{language}')");
            }
        }

        if (count != invitations.Count || seen.Count != invitations.Count)
        {
            problems.Insert(0, $"{count:N0} emails stored for {invitations.Count:N0} invitations ({seen.Count:N0} distinct invitations reached)");
        }

        return problems;

        void Problem(string p)
        {
            if (problems.Count < 10)
            {
                problems.Add(p);
            }
        }
    }

    // The link in the body: plain, or quoted-printable (where "=" is "=3D" and long lines are soft-broken, undone above).
    [GeneratedRegex(@"/answer\?t=(?:3D)?(?<token>[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])")]
    private static partial Regex Link();

    [GeneratedRegex(@"^Content-Language:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex ContentLanguage();

    [GeneratedRegex(@"^To:(.*)$", RegexOptions.Multiline)]
    private static partial Regex ToHeader();
}
