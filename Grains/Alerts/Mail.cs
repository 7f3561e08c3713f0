using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace InventorySync.Grains.Alerts;

/// <summary>The "Smtp" configuration section: the install's one mail server for alert e-mails (S6.1).</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    /// <summary>Empty: no server is configured, and e-mail alerts wait in the outbox until one is.</summary>
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    /// <summary>STARTTLS before sending (port 587 usually wants it).</summary>
    public bool EnableTls { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "InventorySync <alerts@localhost>";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

public interface IMailSender
{
    Task SendAsync(AlertEmail email, CancellationToken ct);
}

/// <summary>Sends through the configured SMTP server; any failure is thrown for the outbox to retry.</summary>
public sealed class SmtpMailSender(IOptions<SmtpOptions> options) : IMailSender
{
    public async Task SendAsync(AlertEmail email, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Host)) throw new InvalidOperationException("No SMTP server is configured (Smtp:Host).");
        using var client = new SmtpClient(o.Host, o.Port)
        {
            EnableSsl = o.EnableTls,
            Timeout = (int)o.Timeout.TotalMilliseconds,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Credentials = o.UserName is { Length: > 0 } user ? new NetworkCredential(user, o.Password) : null,
        };
        using var message = new MailMessage { From = new MailAddress(o.From), Subject = email.Subject, Body = email.Body, IsBodyHtml = false };
        foreach (var to in email.To) message.To.Add(to);
        await client.SendMailAsync(message, ct);
    }
}
