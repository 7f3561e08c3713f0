using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>
/// What stands in front of every accounting call, as at Xero: the request is recorded, the bearer token and the
/// xero-tenant-id header are checked, the organisation's limits (5 at once, 60 a minute, a daily budget) and the
/// app's (10,000 a minute) are enforced and reported in X-*-Remaining headers, a 429 says which limit and when to
/// retry, queued faults are played, and an Idempotency-Key replays its first answer for 6 minutes.
/// </summary>
public sealed class AccountingGateway(RequestDelegate next)
{
    public const string OrgItem = "xero.org";

    public async Task InvokeAsync(HttpContext http, SandboxState s)
    {
        http.Request.EnableBuffering();
        using var received = new MemoryStream();
        await http.Request.Body.CopyToAsync(received);
        var body = received.ToArray();
        http.Request.Body.Position = 0;
        Org? org = null;
        var original = http.Response.Body;
        using var answer = new MemoryStream();
        http.Response.Body = answer;
        try
        {
            org = await HandleAsync(http, s, body);
        }
        finally
        {
            http.Response.Body = original;
            var json = http.Response.ContentType?.Contains("json",
                StringComparison.OrdinalIgnoreCase) == true ? answer.ToArray() : null;
            lock (s.Gate)
                s.Requests.Add(new RecordedRequest(s.Now, http.Request.Method, http.Request.Path,
                    http.Request.QueryString.Value ?? "",
                    http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(),
                        StringComparer.OrdinalIgnoreCase),
                    body, http.Response.StatusCode, org?.Id, json));
        }
        answer.Position = 0;
        await answer.CopyToAsync(original);
    }

    /// <summary>What to do with a call, decided under the lock; acted on after it.</summary>
    private sealed record Decision(Org? Org, IResult? Refusal, IdempotentAnswer? Replay, Fault? Fault);

    private async Task<Org?> HandleAsync(HttpContext http, SandboxState s, byte[] body)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } k ? k : null;
        var requestHash = key is null
            ? ""
            : Hash($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n", body);
        Decision d;
        lock (s.Gate) d = Decide(http, s, key, requestHash);
        if (d.Refusal is not null)
        {
            await d.Refusal.ExecuteAsync(http);
            return d.Org;
        }
        if (d.Replay is not null)
        {
            http.Response.StatusCode = d.Replay.Status;
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.Headers["Idempotent-Replayed"] = "true";
            await http.Response.Body.WriteAsync(d.Replay.Body);
            return d.Org;
        }
        var org = d.Org!;
        var released = false;
        void Release()
        {
            if (released) return;
            released = true;
            lock (s.Gate) org.InFlight--;
        }
        try
        {
            if (d.Fault is not null && await PlayFaultAsync(http, s, d.Fault)) return org;
            http.Items[OrgItem] = org;
            await next(http);
            // The response body is the buffer InvokeAsync set: nothing has reached the caller yet.
            var written = ((MemoryStream)http.Response.Body).Length;
            if (key is not null && http.Response.StatusCode < 500 && written > 0)
                lock (s.Gate)
                    s.Idempotency[(org.Id, key)] = new IdempotentAnswer(requestHash, http.Response.StatusCode,
                        ((MemoryStream)http.Response.Body).ToArray(), s.Now + SandboxState.IdempotencyLife);
            if (d.Fault?.Kind == "lose-answer")
            {
                // The work is done and kept; the answer never reaches the caller.
                Release();
                ((MemoryStream)http.Response.Body).SetLength(0);
                await HangAsync(http, s);
            }
            // The call is over once its answer exists; the caller may start its next one as it reads this one.
            Release();
            return org;
        }
        finally
        {
            Release();
        }
    }

    private static Decision Decide(HttpContext http, SandboxState s, string? key, string requestHash)
    {
        if (IdentityApi.Grant(http.Request, s) is not { } grant)
            return new Decision(null, IdentityApi.Unauthorized(), null, null);
        if (!Guid.TryParse(http.Request.Headers["xero-tenant-id"], out var tenantId)
            || s.Connections.Of(tenantId)?.AuthEventId != grant
            || !s.Orgs.TryGetValue(tenantId, out var org))
            return new Decision(null, Errors.Problem(403, "Forbidden", "AuthenticationUnsuccessful"), null, null);

        var now = s.Now;
        var refusal = Acquire(s, org, now);
        SetRemainingHeaders(http, s, org);
        if (refusal is { } r)
        {
            http.Response.Headers.RetryAfter = Math.Max(1,
                (int)Math.Ceiling(r.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-Rate-Limit-Problem"] = r.Problem;
            return new Decision(org, TooManyRequests(r.Problem), null, null);
        }
        var fault = s.Faults.FirstOrDefault(f => f.Matches(http.Request));
        if (fault is not null) s.Faults.Remove(fault);
        if (fault is null && key is not null && s.Idempotency.TryGetValue((org.Id, key),
            out var earlier) && earlier.ExpiresAt > now)
        {
            org.InFlight--;
            return earlier.RequestHash == requestHash
                ? new Decision(org, null, earlier, null)
                : new Decision(org,
                    Errors.Validation("The Idempotency-Key has already been used with a different request."), null,
                    null);
        }
        return new Decision(org, null, null, fault);
    }

    /// <summary>Counts the call against every window, or says which limit refuses it and for how long.</summary>
    private static (string Problem, TimeSpan RetryAfter)? Acquire(SandboxState s, Org org, DateTime now)
    {
        Prune(org.MinuteCalls, now - TimeSpan.FromMinutes(1));
        Prune(org.DayCalls, now - TimeSpan.FromDays(1));
        Prune(s.AppCalls, now - TimeSpan.FromMinutes(1));
        if (org.InFlight >= org.ConcurrentLimit) return ("concurrent", TimeSpan.FromSeconds(1));
        if (org.MinuteCalls.Count >= org.MinuteLimit) return ("minute",
            org.MinuteCalls.Peek() + TimeSpan.FromMinutes(1) - now);
        if (org.DayCalls.Count >= org.DayLimit) return ("daily", org.DayCalls.Peek() + TimeSpan.FromDays(1) - now);
        if (s.AppCalls.Count >= s.AppMinuteLimit) return ("appminute",
            s.AppCalls.Peek() + TimeSpan.FromMinutes(1) - now);
        org.MinuteCalls.Enqueue(now);
        org.DayCalls.Enqueue(now);
        s.AppCalls.Enqueue(now);
        org.InFlight++;
        return null;
    }

    private static void SetRemainingHeaders(HttpContext http, SandboxState s, Org org)
    {
        http.Response.Headers["X-MinLimit-Remaining"] = Math.Max(0,
            org.MinuteLimit - org.MinuteCalls.Count).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-DayLimit-Remaining"] = Math.Max(0,
            org.DayLimit - org.DayCalls.Count).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-AppMinLimit-Remaining"] = Math.Max(0,
            s.AppMinuteLimit - s.AppCalls.Count).ToString(CultureInfo.InvariantCulture);
    }

    private static async Task<bool> PlayFaultAsync(HttpContext http, SandboxState s, Fault fault)
    {
        switch (fault.Kind)
        {
            case "429":
                // A burst from outside this caller's view (another app, Xero's own protection): a second's wait.
                http.Response.Headers.RetryAfter = "1";
                http.Response.Headers["X-Rate-Limit-Problem"] = "minute";
                await TooManyRequests("minute").ExecuteAsync(http);
                return true;
            case "500":
                await Errors.ServerError(500, "InternalServerError", "An error occurred in Xero.").ExecuteAsync(http);
                return true;
            case "503":
                await Errors.ServerError(503, "ServiceUnavailable",
                    "The Xero API is temporarily unavailable.").ExecuteAsync(http);
                return true;
            case "hang":
                await HangAsync(http, s);
                return true;
            case "slow":
                await Task.Delay(TimeSpan.FromMilliseconds(fault.DelayMilliseconds), s.Clock, http.RequestAborted);
                return false;
            default:
                return false;
        }
    }

    private static IResult TooManyRequests(string problem) =>
        Errors.Problem(429, "Too Many Requests", $"The {problem} rate limit was exceeded.");

    /// <summary>Answers nothing until the caller gives up.</summary>
    private static async Task HangAsync(HttpContext http, SandboxState s)
    {
        lock (s.Gate) s.Hanging++;
        try { await Task.Delay(Timeout.InfiniteTimeSpan, s.Clock, http.RequestAborted); }
        catch (OperationCanceledException) { }
        finally { lock (s.Gate) s.Hanging--; }
    }

    private static void Prune(Queue<DateTime> calls, DateTime since)
    {
        while (calls.Count > 0 && calls.Peek() <= since) calls.Dequeue();
    }

    private static string Hash(string request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(request));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
