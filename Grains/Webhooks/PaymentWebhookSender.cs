using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InventorySync.Contracts;
using InventorySync.Storage.Entities;

namespace InventorySync.Grains.Webhooks;

/// <summary>Posts one outbox event to the tenant's webhook, signed; anything but a 2xx is retried by the outbox.
/// </summary>
public sealed class PaymentWebhookSender(IHttpClientFactory http, PaymentWebhooks webhooks)
{
    public const string Client = "payment-webhooks";

    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        // Removed since: nothing to deliver to.
        if (await webhooks.TargetAsync(message.TenantId!.Value, ct) is not { } target) return;
        var change = JsonSerializer.Deserialize<PaymentWebhookEvent>(message.Payload, PaymentWebhooks.Json)!;
        var body = Encoding.UTF8.GetBytes(message.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new ByteArrayContent(body)
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
            },
        };
        request.Headers.Add("X-InventorySync-Delivery", change.Id);
        request.Headers.Add("X-InventorySync-Event", change.Type);
        request.Headers.Add("X-InventorySync-Signature", PaymentWebhooks.Signature(target.Secret, body));
        using var answer = await http.CreateClient(Client).SendAsync(request, ct);
        if (!answer.IsSuccessStatusCode)
            throw new HttpRequestException(
                $"The payments webhook {target.Url} answered {(int)answer.StatusCode} {answer.ReasonPhrase}.");
    }
}
