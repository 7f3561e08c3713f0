using System.Text.Json;
using System.Text.Json.Serialization;
using InventorySync.Api.Auth;
using InventorySync.Api.Endpoints;
using InventorySync.Api.Errors;
using InventorySync.Api.Idempotency;
using InventorySync.Contracts;
using InventorySync.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InventorySync.Api;

public static class ApiRegistration
{
    public const string OperatorPolicy = "operator";

    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
            o.SerializerOptions.Converters.Add(new TwoDecimalsConverter());
            // A misspelt field must not be silently dropped: "quantty" is an error, not a missing quantity.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // Answers are JSON, never HTML: URLs keep their '&' rather than "\u0026".
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
            c.ProblemDetails.Detail ??= DefaultDetail(c.HttpContext);
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddSingleton<OperatorKey>();
        services.AddScoped<ApiKeyPrincipals>();
        services.AddScoped<TenantAccessFilter>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, p => p.RequireRole(Caller.OperatorRole));
        services.AddOpenApi(o => o.AddSchemaTransformer((schema, context, _) =>
        {
            // Money is exact: a client generating double from "number/double" would round cents.
            if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type) == typeof(decimal))
                schema.Format = "decimal";
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>For answers the framework gives without a word (no route, wrong method, wrong content type).</summary>
    private static string DefaultDetail(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"Nothing is at {http.Request.Method} {http.Request.Path}.",
        StatusCodes.Status405MethodNotAllowed => $"{http.Request.Path} does not take {http.Request.Method}.",
        StatusCodes.Status415UnsupportedMediaType => $"{http.Request.Path} does not take '{http.Request.ContentType}'; see /openapi/v1.json.",
        var status => $"The request failed with status {status}.",
    };

    public static WebApplication MapApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.Use(async (http, next) =>
        {
            if (!http.RequestServices.GetRequiredService<StartupGate>().IsReady)
            {
                http.Response.Headers.RetryAfter = "1";
                await Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "Starting: database migrations are not applied yet.");
                return;
            }
            await next(http);
        }));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi();
        app.MapHealthApi();
        app.MapXeroCallback();
        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapOperatorApi();
        var tenant = api.MapGroup("/tenants/{tenantId:guid}").AddEndpointFilter<TenantAccessFilter>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();
        tenant.MapSettingsApi();
        tenant.MapDocumentsApi();
        tenant.MapOrdersApi();
        tenant.MapXeroConnectionApi();
        tenant.MapSyncApi();
        tenant.MapReconciliationApi();
        tenant.MapAlertsApi();
        return app;
    }
}
