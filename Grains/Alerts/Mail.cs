using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace InventorySync.Grains.Alerts;

/// <summary>How the connection to the mail server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it (TLS on connect on port 465).</summary>
    Auto,
    /// <summary>Plain text: only for a relay on the same host or network.</summary>
    None,
    /// <summary>STARTTLS, and refuse a server that does not offer it (port 587 usually).</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465 usually).</summary>
    SslOnConnect,
}

/// <summary>The "Smtp" configuration section: the install's one mail server for alert e-mails (S6.1).</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    /// <summary>Empty: no server is configured, and e-mail alerts wait in the outbox until one is.</summary>
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    /// <summary>
    /// A PEM certificate the server may present besides those the system trusts: a relay with its own CA or a
    /// self-signed certificate.
    /// </summary>
    public string? TrustedCertificate { get; set; }
    /// <summary>Set to authenticate (after TLS: credentials never go in plain text unless Security is None).</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "InventorySync <alerts@localhost>";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

public interface IMailSender
{
    Task SendAsync(AlertEmail email, CancellationToken ct);
}

/// <summary>Sends through the configured SMTP server with MailKit; any failure is thrown for the outbox to
/// retry.</summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options) : IMailSender
{
    public async Task SendAsync(AlertEmail email, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Host))
            throw new InvalidOperationException("No SMTP server is configured (Smtp:Host).");
        using var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        if (o.TrustedCertificate is { Length: > 0 } path)
        {
            var trusted = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(path, ct)).Thumbprint;
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || certificate?.GetCertHashString() == trusted;
        }
        await client.ConnectAsync(o.Host, o.Port, o.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.Auto,
        }, ct);
        if (o.UserName is { Length: > 0 } user)
        {
            if (!client.IsSecure && o.Security != SmtpSecurity.None)
                throw new InvalidOperationException(
                    $"{o.Host} offered no TLS: the SMTP credentials are not sent in plain text " +
                    "(Smtp:Security=None allows it).");
            await client.AuthenticateAsync(user, o.Password ?? "", ct);
        }
        var body = new BodyBuilder { TextBody = email.Body };
        if (email.File is { } file)
            body.Attachments.Add(file.FileName, Encoding.UTF8.GetBytes(file.Content),
                ContentType.Parse(file.ContentType));
        var message = new MimeMessage { Subject = email.Subject, Body = body.ToMessageBody() };
        message.From.Add(MailboxAddress.Parse(o.From));
        foreach (var to in email.To) message.To.Add(MailboxAddress.Parse(to));
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
