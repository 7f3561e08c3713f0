using System.Text.Json;
using InventorySync.Grains.Common;
using InventorySync.Xero;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace InventorySync.Api.Errors;

/// <summary>Turns every exception into a problem-details answer that names what was wrong (DESIGN invariant 8).</summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, TimeProvider clock, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            RequestValidationException e => new HttpValidationProblemDetails(e.Errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Detail = "Invalid fields. " + string.Join(" ", e.Errors.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value)}")),
            },
            NotFoundException e => Problem(StatusCodes.Status404NotFound, e.Message),
            ConflictException e => Problem(StatusCodes.Status409Conflict, e.Message),
            RunConflictException e => new ProblemDetails { Status = StatusCodes.Status409Conflict, Detail = e.Message, Extensions = { ["runId"] = e.RunningRunId } },
            PayloadTooLargeException e => Problem(StatusCodes.Status413PayloadTooLarge, e.Message),
            DbUpdateConcurrencyException => Problem(StatusCodes.Status409Conflict,
                "The resource was changed by another request at the same moment; read it again and retry."),
            DbUpdateException e when IsUniqueViolation(e) => Problem(StatusCodes.Status409Conflict,
                "The request conflicts with a record that already exists (a number or name already in use)."),
            BadHttpRequestException e => BadRequest(e),
            NotConfiguredException e => Problem(StatusCodes.Status503ServiceUnavailable, e.Message),
            MaintenanceException e => Maintenance(http, e),
            XeroDayLimitException e => Problem(StatusCodes.Status429TooManyRequests, e.Message),
            XeroException e => Problem(StatusCodes.Status502BadGateway, e.Message),
            _ => null,
        };
        if (problem is null)
        {
            LogUnhandled(exception, http.Request.Method, http.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "An unexpected error occurred; it has been logged.");
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Problem(int status, string detail) => new() { Status = status, Detail = detail };

    private ProblemDetails Maintenance(HttpContext http, MaintenanceException e)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((e.Until - clock.GetUtcNow().UtcDateTime).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Detail = e.Message, Extensions = { ["until"] = e.Until } };
    }

    /// <summary>Malformed JSON, a wrong type, an unknown field, a bad query value: name the place in the request.</summary>
    private static ProblemDetails BadRequest(BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json)
        {
            var path = json.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "body";
            var reason = json.Message switch
            {
                var m when m.Contains("could not be mapped", StringComparison.Ordinal) => "is not a field of this request.",
                var m when m.Contains("could not be converted", StringComparison.Ordinal) => "has a value of the wrong type.",
                var m => "is not valid JSON: " + m.Split(" Path:")[0].Split(" LineNumber:")[0],
            };
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [path] = [reason] })
            {
                Status = e.StatusCode,
                Detail = $"The request body cannot be read: '{path}' {reason}",
            };
        }
        return Problem(e.StatusCode, e.Message);
    }

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
