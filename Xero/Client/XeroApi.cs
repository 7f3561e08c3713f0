using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace InventorySync.Xero.Client;

/// <summary>
/// Sends accounting calls for one organisation: within Xero's limits, with a fresh access token, waiting out 429s,
/// and retrying 5xx answers and timeouts with backoff and jitter only where a retry cannot duplicate anything
/// (reads, and writes that carry an Idempotency-Key). Tokens never reach the logs.
/// </summary>
public sealed partial class XeroApi
{
    public const string ApiPath = "/api.xro/2.0/";
    private const int Max429Waits = 10;

    private readonly HttpClient _http;
    private readonly XeroTokenProvider _tokens;
    private readonly XeroLimits _limits;
    private readonly XeroOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<XeroApi> _log;
    private readonly ResiliencePipeline _retrying;
    private readonly XeroMetrics _metrics;

    public XeroApi(HttpClient http, XeroTokenProvider tokens, XeroLimits limits, IOptions<XeroOptions> options,
        TimeProvider clock, XeroMetrics metrics, ILogger<XeroApi> log)
    {
        (_http, _tokens, _limits, _options, _clock, _metrics, _log) =
            (http, tokens, limits, options.Value, clock, metrics, log);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _retrying = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<XeroUnavailableException>(),
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                OnRetry = a => { LogRetry(a.AttemptNumber + 1, a.RetryDelay, a.Outcome.Exception?.Message); return default; },
            })
            .Build();
    }

    public XeroOptions Options => _options;

    /// <summary>
    /// The calls of one tenant's connected organisation; <paramref name="tokens"/>, when the caller has just read
    /// them with the connection, serve its first calls instead of a read of their own.
    /// </summary>
    public XeroOrganisation For(Guid tenantId, string xeroTenantId, XeroTokens? tokens = null) =>
        new(this, tenantId, xeroTenantId) { Tokens = tokens };

    public XeroLimits.Organisation LimitsOf(string xeroTenantId) => _limits.For(xeroTenantId);

    /// <summary>Sends one call (built afresh for each attempt) and answers the successful response, its content read.</summary>
    internal Task<HttpResponseMessage> SendAsync(XeroOrganisation caller, Func<HttpRequestMessage> build,
        bool safeToRetry, CancellationToken ct) =>
        safeToRetry
            ? _retrying.ExecuteAsync(async token => await SendOnceAsync(caller, build, token), ct).AsTask()
            : SendOnceAsync(caller, build, ct);

    private async Task<HttpResponseMessage> SendOnceAsync(XeroOrganisation caller, Func<HttpRequestMessage> build,
        CancellationToken ct)
    {
        var (tenantId, xeroTenantId) = (caller.TenantId, caller.XeroTenantId);
        var org = _limits.For(xeroTenantId);
        org.TenantId = tenantId;
        var refreshed = false;
        for (var waits = 0; ; waits++)
        {
            HttpResponseMessage response;
            string accessToken;
            using (await _limits.AcquireAsync(org, ct))
            {
                var tokens = caller.Tokens is { } held && _tokens.IsFresh(held)
                    ? held
                    : caller.Tokens = await _tokens.GetFreshAsync(tenantId, ct);
                accessToken = tokens.AccessToken;
                using var request = build();
                request.RequestUri = new Uri(_options.ApiUrl, request.RequestUri!.OriginalString);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                request.Headers.Add("xero-tenant-id", xeroTenantId);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                response = await SendWithTimeoutAsync(request, ct);
                _limits.Observe(org, response.Headers);
                _metrics.Answered((int)response.StatusCode);
                LogCall(request.Method.Method, request.RequestUri.AbsolutePath, (int)response.StatusCode);
            }

            // A JSON answer with no body was cut short: safe to ask again under the same key.
            if (response.IsSuccessStatusCode && response.Content.Headers.ContentLength == 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") != false)
            {
                response.Dispose();
                throw new XeroUnavailableException("Xero answered with an empty body.", (int)response.StatusCode);
            }
            if (response.IsSuccessStatusCode) return response;
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && !refreshed)
                {
                    refreshed = true;
                    caller.Tokens = null;
                    await _tokens.RefreshAsync(tenantId, accessToken, ct);
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var retryAfter = RetryAfter(response);
                    var problem = response.Headers.TryGetValues("X-Rate-Limit-Problem", out var p) ? p.First() : "minute";
                    LogLimited(problem, retryAfter);
                    if (problem.Equals("daily", StringComparison.OrdinalIgnoreCase))
                    {
                        _limits.DaySpent(org, retryAfter);
                        _limits.ThrowIfDaySpent(org);
                    }
                    if (waits >= Max429Waits) throw new XeroRateLimitException(problem);
                    await Task.Delay(retryAfter, _clock, ct);
                    continue;
                }
                await XeroErrors.ThrowIfFailedAsync(response, ct);
                throw new XeroException($"Xero answered {(int)response.StatusCode}.", (int)response.StatusCode);
            }
        }
    }

    private async Task<HttpResponseMessage> SendWithTimeoutAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            await response.Content.LoadIntoBufferAsync(linked.Token);
            return response;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new XeroUnavailableException($"Xero did not answer within {_options.Timeout.TotalSeconds:0} s.", null, e);
        }
        catch (HttpRequestException e)
        {
            throw new XeroUnavailableException($"Xero could not be reached: {e.Message}", null, e);
        }
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta) return delta;
        if (response.Headers.TryGetValues("Retry-After", out var values) && int.TryParse(values.First(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        return TimeSpan.FromSeconds(1);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Xero {Method} {Path} answered {Status}")]
    private partial void LogCall(string method, string path, int status);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Xero's {Problem} limit: waiting {RetryAfter}")]
    private partial void LogLimited(string problem, TimeSpan retryAfter);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Retrying a Xero call (attempt {Attempt}) in {Delay}: {Reason}")]
    private partial void LogRetry(int attempt, TimeSpan delay, string? reason);
}
