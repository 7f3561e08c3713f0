using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using InventorySync.Xero.Models;

namespace InventorySync.Xero.Client;

/// <summary>What one element of a batch became: stored (with Xero's copy) or refused with Xero's messages.</summary>
public sealed record BatchOutcome<T>(int Index, T Sent, T? Stored, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0 && Stored is not null;
}

public sealed record XeroPage<T>(IReadOnlyList<T> Items, Pagination? Pagination);

/// <summary>Filters of a GET list; null means "not filtered".</summary>
public sealed record XeroQuery(
    int? Page = null,
    int? PageSize = null,
    string? Where = null,
    IReadOnlyList<string>? Ids = null,
    IReadOnlyList<string>? Numbers = null,
    IReadOnlyList<string>? Statuses = null,
    DateTime? ModifiedSince = null);

/// <summary>Typed Xero operations for one tenant's organisation.</summary>
public sealed class XeroOrganisation(XeroApi api, Guid tenantId, string xeroTenantId)
{
    public const int MaxPageSize = 1000;

    public Guid TenantId => tenantId;

    public string XeroTenantId => xeroTenantId;

    /// <summary>
    /// The tokens this handle's last call used. A handle serves one run, pull or reconciliation: its calls reuse the
    /// access token while it is fresh instead of reading the database at each call (Xero keeps an access token valid
    /// until it expires, even once a refresh elsewhere has issued the next one; a 401 still refreshes).
    /// </summary>
    internal XeroTokens? Tokens { get; set; }

    public async Task<Organisation> GetOrganisationAsync(CancellationToken ct) =>
        (await GetListAsync<Organisation>("Organisation", "Organisations", null, ct)).Items.Single();

    public async Task<IReadOnlyList<Account>> GetAccountsAsync(CancellationToken ct) =>
        (await GetListAsync<Account>("Accounts", "Accounts", null, ct)).Items;

    public async Task<T> GetAsync<T>(string resource, Guid id, CancellationToken ct) =>
        (await GetListAsync<T>($"{resource}/{id}", resource, null, ct)).Items.Single();

    public Task<XeroPage<T>> GetPageAsync<T>(string resource, XeroQuery query, CancellationToken ct) =>
        GetListAsync<T>(resource, resource, query, ct);

    /// <summary>
    /// Every element matching the query: the first page says how many pages there are, the others are fetched
    /// concurrently (at most <paramref name="parallel"/> at once, always within Xero's limits).
    /// </summary>
    public async Task<IReadOnlyList<T>> GetAllAsync<T>(string resource, XeroQuery query, int parallel, CancellationToken ct)
    {
        var size = Math.Clamp(query.PageSize ?? MaxPageSize, 1, MaxPageSize);
        var first = await GetPageAsync<T>(resource, query with { Page = 1, PageSize = size }, ct);
        var pages = first.Pagination?.PageCount ?? 1;
        if (pages <= 1) return first.Items;
        var rest = new XeroPage<T>[pages - 1];
        await Parallel.ForEachAsync(Enumerable.Range(2, pages - 1), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct },
            async (page, token) => rest[page - 2] = await GetPageAsync<T>(resource, query with { Page = page, PageSize = size }, token));
        return [.. first.Items, .. rest.SelectMany(p => p.Items)];
    }

    /// <summary>
    /// Creates (PUT) or creates-and-updates (POST) elements in batches of at most BatchSize elements and
    /// MaxBatchBytes, with summarizeErrors=false so that one bad element fails alone. Each batch carries the
    /// Idempotency-Key <paramref name="keyOf"/> gives it, which also makes it safe to retry.
    /// </summary>
    public async Task<IReadOnlyList<BatchOutcome<T>>> SaveAsync<T>(string resource, IReadOnlyList<T> elements, Func<IReadOnlyList<T>, string> keyOf,
        bool createOnly, CancellationToken ct) where T : IBatchElement
    {
        var outcomes = new List<BatchOutcome<T>>(elements.Count);
        foreach (var (offset, batch, json) in Batches(elements, api.Options.BatchSize, api.Options.MaxBatchBytes))
        {
            var key = keyOf(batch);
            var body = Body(resource, json);
            using var response = await api.SendAsync(this, () =>
            {
                var request = new HttpRequestMessage(createOnly ? HttpMethod.Put : HttpMethod.Post, $"{XeroApi.ApiPath}{resource}?summarizeErrors=false")
                {
                    Content = new ByteArrayContent(body)
                    {
                        Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
                    },
                };
                request.Headers.Add("Idempotency-Key", key);
                return request;
            }, safeToRetry: true, ct);

            var (stored, _) = Envelope.Read<T>(await response.Content.ReadFromJsonAsync<JsonElement>(ct), resource);
            for (var i = 0; i < batch.Count; i++)
            {
                var answer = i < stored.Count ? stored[i] : default;
                var errors = answer?.ValidationErrors?.Select(e => e.Message ?? "").Where(m => m.Length > 0).ToList() ?? [];
                var ok = answer is not null && answer.StatusAttributeString != "ERROR" && errors.Count == 0;
                outcomes.Add(new BatchOutcome<T>(offset + i, batch[i], ok ? answer : default, ok ? [] : errors.Count > 0 ? errors : ["Xero did not answer for this element."]));
            }
        }
        return outcomes;
    }

    /// <summary>Xero removes a payment by setting its status to DELETED.</summary>
    public async Task<Payment> DeletePaymentAsync(Guid paymentId, string idempotencyKey, CancellationToken ct)
    {
        using var response = await api.SendAsync(this, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{XeroApi.ApiPath}Payments/{paymentId}")
            {
                Content = JsonContent.Create(new Payment { Status = "DELETED" }, options: XeroJson.Options),
            };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return request;
        }, safeToRetry: true, ct);
        return Envelope.Read<Payment>(await response.Content.ReadFromJsonAsync<JsonElement>(ct), "Payments").Items.Single();
    }

    /// <summary>Uploads a file to an invoice, credit note or bank transaction (the body is the file itself).</summary>
    public async Task<Attachment> UploadAttachmentAsync(string resource, Guid documentId, string fileName, string contentType, byte[] content,
        string idempotencyKey, CancellationToken ct)
    {
        using var response = await api.SendAsync(this, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"{XeroApi.ApiPath}{resource}/{documentId}/Attachments/{Uri.EscapeDataString(fileName)}")
            {
                Content = new ByteArrayContent(content),
            };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            return request;
        }, safeToRetry: true, ct);
        return Envelope.Read<Attachment>(await response.Content.ReadFromJsonAsync<JsonElement>(ct), "Attachments").Items.Single();
    }

    public async Task<IReadOnlyList<Attachment>> GetAttachmentsAsync(string resource, Guid documentId, CancellationToken ct) =>
        (await GetListAsync<Attachment>($"{resource}/{documentId}/Attachments", "Attachments", null, ct)).Items;

    public async Task<byte[]> DownloadAttachmentAsync(string resource, Guid documentId, Guid attachmentId, CancellationToken ct)
    {
        using var response = await api.SendAsync(this,
            () => new HttpRequestMessage(HttpMethod.Get, $"{XeroApi.ApiPath}{resource}/{documentId}/Attachments/{attachmentId}"), safeToRetry: true, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    /// <summary>
    /// Splits elements into batches of at most <paramref name="size"/> elements and about <paramref name="maxBytes"/>
    /// of JSON; each element is serialized once, and its JSON goes into the batch's body.
    /// </summary>
    public static IEnumerable<(int Offset, IReadOnlyList<T> Batch, IReadOnlyList<byte[]> Json)> Batches<T>(
        IReadOnlyList<T> elements, int size, int maxBytes)
    {
        var (batch, json) = (new List<T>(), new List<byte[]>());
        var bytes = 0;
        var offset = 0;
        foreach (var element in elements)
        {
            var utf8 = JsonSerializer.SerializeToUtf8Bytes(element, XeroJson.Options);
            if (batch.Count > 0 && (batch.Count == size || bytes + utf8.Length + 1 > maxBytes))
            {
                yield return (offset, batch, json);
                offset += batch.Count;
                (batch, json) = ([], []);
                bytes = 0;
            }
            batch.Add(element);
            json.Add(utf8);
            bytes += utf8.Length + 1;
        }
        if (batch.Count > 0) yield return (offset, batch, json);
    }

    /// <summary>The body of a batch: <c>{"Invoices":[...]}</c> from its elements' JSON.</summary>
    private static byte[] Body(string resource, IReadOnlyList<byte[]> elements)
    {
        using var body = new MemoryStream(elements.Sum(e => e.Length + 1) + resource.Length + 8);
        body.Write(Encoding.UTF8.GetBytes($"{{\"{resource}\":["));
        for (var i = 0; i < elements.Count; i++)
        {
            if (i > 0) body.WriteByte((byte)',');
            body.Write(elements[i]);
        }
        body.Write("]}"u8);
        return body.ToArray();
    }

    private async Task<XeroPage<T>> GetListAsync<T>(string path, string name, XeroQuery? query, CancellationToken ct)
    {
        var url = $"{XeroApi.ApiPath}{path}{QueryString(query)}";
        using var response = await api.SendAsync(this, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (query?.ModifiedSince is { } since) request.Headers.IfModifiedSince = new DateTimeOffset(since, TimeSpan.Zero);
            return request;
        }, safeToRetry: true, ct);
        var (items, pagination) = Envelope.Read<T>(await response.Content.ReadFromJsonAsync<JsonElement>(ct), name);
        return new XeroPage<T>(items, pagination);
    }

    private static string QueryString(XeroQuery? q)
    {
        if (q is null) return "";
        var parts = new List<string>();
        if (q.Page is { } page) parts.Add($"page={page}");
        if (q.PageSize is { } size) parts.Add($"pageSize={Math.Clamp(size, 1, MaxPageSize)}");
        if (q.Where is { } where) parts.Add($"where={Uri.EscapeDataString(where)}");
        if (q.Ids is { Count: > 0 } ids) parts.Add($"IDs={Uri.EscapeDataString(string.Join(',', ids))}");
        if (q.Numbers is { Count: > 0 } numbers) parts.Add($"InvoiceNumbers={Uri.EscapeDataString(string.Join(',', numbers))}");
        if (q.Statuses is { Count: > 0 } statuses) parts.Add($"Statuses={Uri.EscapeDataString(string.Join(',', statuses))}");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
