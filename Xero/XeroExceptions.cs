namespace InventorySync.Xero;

/// <summary>Xero refused or failed a call; the message is Xero's own where it gave one.</summary>
public class XeroException(string message, int? status = null, Exception? inner = null) : Exception(message, inner)
{
    public int? Status { get; } = status;
}

/// <summary>400 ValidationException: each of Xero's messages is kept.</summary>
public sealed class XeroValidationException(IReadOnlyList<string> messages)
    : XeroException("Xero refused the request: " + string.Join(" ", messages), 400)
{
    public IReadOnlyList<string> Messages { get; } = messages;
}

public sealed class XeroUnauthorizedException(string message) : XeroException(message, 401);

public sealed class XeroForbiddenException(string message) : XeroException(message, 403);

public sealed class XeroNotFoundException(string message) : XeroException(message, 404);

/// <summary>The organisation's daily budget is spent: nothing more can be sent before <see cref="RetryAt"/>.</summary>
public sealed class XeroDayLimitException(DateTime retryAt)
    : XeroException($"Xero's daily API limit for this organisation is spent; calls resume after {retryAt:u}.", 429)
{
    public DateTime RetryAt { get; } = retryAt;
}

/// <summary>Xero kept answering 429 for a per-minute or concurrency limit beyond our patience.</summary>
public sealed class XeroRateLimitException(string problem) : XeroException($"Xero's {problem} rate limit kept refusing the call.", 429);

/// <summary>5xx or no answer in time, after the retries that were safe to make.</summary>
public sealed class XeroUnavailableException(string message, int? status, Exception? inner = null) : XeroException(message, status, inner);

/// <summary>The refresh token is no longer valid (revoked, expired or superseded): the user must authorise again.</summary>
public sealed class XeroInvalidGrantException() : XeroException("Xero refused the refresh token (invalid_grant): the connection must be authorised again.", 400);
