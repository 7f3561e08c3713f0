using System.Security.Cryptography;
using InventorySync.Api.Auth;
using InventorySync.Storage;
using InventorySync.Storage.Entities;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace InventorySync.Api.Idempotency;

/// <summary>
/// Writes sent with an <c>Idempotency-Key</c> (S2.2): the first answer is stored in the same transaction as the write
/// itself, so a retry gets that answer back and never makes a second document; the same key with a different request
/// is refused. Only successful answers are kept: a refused request may be corrected and sent again under its key.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext http, AppDb db, TimeProvider clock)
    {
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0 || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || http.User.Identity?.IsAuthenticated != true)
        {
            await next(http);
            return;
        }
        if (key.Length > MaxKeyLength)
        {
            await Problems.WriteAsync(http, StatusCodes.Status400BadRequest, $"The {Header} header must be at most {MaxKeyLength} characters.");
            return;
        }

        var scope = Caller.From(http.User).Scope;
        var requestHash = await HashRequestAsync(http.Request);
        if (await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, http.RequestAborted) is { } earlier)
        {
            await ReplayAsync(http, earlier, requestHash);
            return;
        }

        var record = new IdempotencyRecord { Scope = scope, Key = key, RequestHash = requestHash, CreatedAt = clock.GetUtcNow().UtcDateTime };
        await using var tx = await db.BeginWriteAsync(http.RequestAborted);
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // The same key arrived twice at once: the other request holds it; answer with what it stored.
            await tx.RollbackAsync(http.RequestAborted);
            db.ChangeTracker.Clear();
            var winner = await db.IdempotencyRecords.AsNoTracking().FirstAsync(r => r.Scope == scope && r.Key == key, http.RequestAborted);
            await ReplayAsync(http, winner, requestHash);
            return;
        }

        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
            if (http.Response.StatusCode is >= 200 and < 300)
            {
                record.StatusCode = http.Response.StatusCode;
                record.Location = http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null;
                record.Body = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                await db.SaveChangesAsync(http.RequestAborted);
                await tx.CommitAsync(http.RequestAborted);
            }
            else
            {
                await tx.RollbackAsync(http.RequestAborted);
            }
        }
        finally
        {
            http.Response.Body = original;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private static async Task ReplayAsync(HttpContext http, IdempotencyRecord earlier, string requestHash)
    {
        if (earlier.RequestHash != requestHash)
        {
            await Problems.WriteAsync(http, StatusCodes.Status422UnprocessableEntity,
                $"The {Header} '{earlier.Key}' was already used for a different request; use a new key for a new request.");
            return;
        }
        if (earlier.StatusCode == 0)
        {
            await Problems.WriteAsync(http, StatusCodes.Status409Conflict, $"A request with the {Header} '{earlier.Key}' is still in progress.");
            return;
        }
        http.Response.StatusCode = earlier.StatusCode;
        http.Response.Headers[ReplayedHeader] = "true";
        if (earlier.Location is not null) http.Response.Headers.Location = earlier.Location;
        if (earlier.Body is { Length: > 0 } body)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(body, http.RequestAborted);
        }
    }

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            sha.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
