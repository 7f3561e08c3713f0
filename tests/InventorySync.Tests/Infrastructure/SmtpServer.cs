using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace InventorySync.Tests.Infrastructure;

/// <summary>A received e-mail as the server stored it.</summary>
public sealed record ReceivedMail(string To, string Subject, string Body);

/// <summary>
/// A real SMTP server: aiosmtpd (Debian's python3-aiosmtpd, installed by ./test.sh) storing what it receives in a
/// maildir the test reads. It can be stopped and started again on its port, as a mail server that goes down.
/// </summary>
public sealed partial class SmtpServer : IAsyncDisposable
{
    private readonly string _maildir = Path.Combine(Path.GetTempPath(), "inventorysync-tests", $"mail-{Guid.NewGuid():N}");
    private Process? _process;

    public int Port { get; } = FreePort();

    public async Task StartAsync()
    {
        foreach (var sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(_maildir, sub));
        var start = new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-d", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", _maildir])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data?.Contains("Server is listening") == true) listening.TrySetResult();
        };
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"aiosmtpd exited (is python3-aiosmtpd installed? ./test.sh installs it):\n{output}"));
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public IReadOnlyList<ReceivedMail> Received() =>
        Directory.GetFiles(Path.Combine(_maildir, "new")).Select(f => Parse(File.ReadAllText(f))).ToList();

    private static ReceivedMail Parse(string text)
    {
        var split = text.IndexOf("\n\n", StringComparison.Ordinal) is var i and >= 0 ? i : text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = text[..split].Replace("\r\n", "\n").Replace("\n ", " ").Replace("\n\t", " ");
        string Header(string name) => Regex.Match(headers, $"^{name}: (.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase).Groups[1].Value.Trim();
        var body = text[split..].Trim();
        if (Header("Content-Transfer-Encoding").Equals("quoted-printable", StringComparison.OrdinalIgnoreCase))
            body = QuotedPrintable().Replace(body.Replace("=\r\n", "").Replace("=\n", ""), m => ((char)Convert.ToByte(m.Groups[1].Value, 16)).ToString());
        else if (Header("Content-Transfer-Encoding").Equals("base64", StringComparison.OrdinalIgnoreCase))
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        return new ReceivedMail(Header("To"), Header("Subject"), body.Replace("\r\n", "\n"));
    }

    [GeneratedRegex("=([0-9A-F]{2})")]
    private static partial Regex QuotedPrintable();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_maildir)) Directory.Delete(_maildir, recursive: true);
    }
}
