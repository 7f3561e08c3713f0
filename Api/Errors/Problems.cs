using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Api;

/// <summary>RFC 9457 problem details, written the same way from filters, handlers and middleware.</summary>
public static class Problems
{
    public static ProblemHttpResult Result(int status, string detail) => TypedResults.Problem(detail, statusCode: status);

    public static async Task WriteAsync(HttpContext http, int status, string detail, IDictionary<string, object?>? extensions = null)
    {
        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Detail = detail };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
            problem.Extensions[key] = value;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
