using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace InventorySync.Tests.Infrastructure;

/// <summary>A received e-mail as the server stored it.</summary>
public sealed record ReceivedMail(string To, string Subject, string Body, IReadOnlyList<ReceivedAttachment> Attachments);

public sealed record ReceivedAttachment(string FileName, string ContentType, string Content);

/// <summary>
/// A real SMTP server: aiosmtpd (Debian's python3-aiosmtpd, installed by ./test.sh) requiring STARTTLS, with its own
/// self-signed certificate, and a login, storing what it receives in a maildir the test reads. It can be stopped and
/// started again on its port, as a mail server that goes down.
/// </summary>
public sealed partial class SmtpServer : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "inventorysync-tests", $"mail-{Guid.NewGuid():N}");
    private string Maildir => Path.Combine(_folder, "maildir");
    private Process? _process;

    public int Port { get; } = FreePort();
    public string UserName => "alerts";
    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    /// <summary>The server's certificate (PEM), which the product is told to trust.</summary>
    public string CertificatePath => Path.Combine(_folder, "server.crt");
    private string KeyPath => Path.Combine(_folder, "server.key");

    public async Task StartAsync()
    {
        foreach (var sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(Maildir, sub));
        if (!File.Exists(CertificatePath)) WriteSelfSignedCertificate();
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "smtp_server.py");
        var start = new ProcessStartInfo("/usr/bin/python3",
            [script, Port.ToString(CultureInfo.InvariantCulture), Maildir, CertificatePath, KeyPath, UserName, Password])
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
        Directory.GetFiles(Path.Combine(Maildir, "new")).Select(Parse).ToList();

    private void WriteSelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static ReceivedMail Parse(string file)
    {
        using var message = MimeMessage.Load(file);
        var attachments = message.Attachments.OfType<MimePart>().Select(a =>
        {
            using var content = new MemoryStream();
            a.Content!.DecodeTo(content);
            return new ReceivedAttachment(a.FileName ?? "", a.ContentType.MimeType, Encoding.UTF8.GetString(content.ToArray()));
        }).ToList();
        return new ReceivedMail(message.To.ToString(), message.Subject ?? "",
            (message.TextBody ?? "").Trim().Replace("\r\n", "\n"), attachments);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
