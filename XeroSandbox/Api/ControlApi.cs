using InventorySync.XeroSandbox.State;

namespace InventorySync.XeroSandbox.Api;

/// <summary>
/// The emulator's own API for tests and demos (not Xero's): create organisations, choose what the next consent
/// grants, set limits, queue faults, revoke grants, and read every accounting request it received.
/// </summary>
public static class ControlApi
{
    public sealed record NewOrganisation(string? Name, string? BaseCurrency);
    public sealed record Limits(int? Minute, int? Day, int? Concurrent, int? AppMinute);
    public sealed record FaultRequest(string Kind, int Count = 1, int DelayMilliseconds = 0, string? Method = null, string? Path = null);
    public sealed record Consent(List<Guid> OrganisationIds);

    public static void MapControlApi(this WebApplication app)
    {
        var control = app.MapGroup("/sandbox");
        control.MapPost("/organisations", (NewOrganisation body, SandboxState s) =>
        {
            var org = s.AddOrganisation(body.Name ?? "Demo Company", body.BaseCurrency ?? "NZD");
            return Results.Json(new { id = org.Id, name = org.Name });
        });
        control.MapPut("/organisations/{id:guid}/limits", (Guid id, Limits body, SandboxState s) =>
        {
            lock (s.Gate)
            {
                if (!s.Orgs.TryGetValue(id, out var org)) return Results.NotFound();
                org.MinuteLimit = body.Minute ?? org.MinuteLimit;
                org.DayLimit = body.Day ?? org.DayLimit;
                org.ConcurrentLimit = body.Concurrent ?? org.ConcurrentLimit;
                s.AppMinuteLimit = body.AppMinute ?? s.AppMinuteLimit;
                return Results.NoContent();
            }
        });
        control.MapPut("/consent", (Consent body, SandboxState s) =>
        {
            lock (s.Gate)
            {
                s.ConsentTo.Clear();
                s.ConsentTo.AddRange(body.OrganisationIds);
            }
            return Results.NoContent();
        });
        control.MapPost("/faults", (FaultRequest body, SandboxState s) =>
        {
            if (!Fault.Kinds.Contains(body.Kind)) return Results.BadRequest(new { error = $"kind is one of {string.Join(", ", Fault.Kinds)}" });
            lock (s.Gate)
                for (var i = 0; i < body.Count; i++) s.Faults.Add(new Fault(body.Kind, body.DelayMilliseconds, body.Method, body.Path));
            return Results.NoContent();
        });
        control.MapPost("/refresh-tokens/revoke", (SandboxState s) =>
        {
            lock (s.Gate)
                foreach (var token in s.RefreshTokens.Values) token.Revoked = true;
            return Results.NoContent();
        });
        control.MapPost("/connections/{id:guid}/revoke", (Guid id, SandboxState s) =>
        {
            lock (s.Gate) return s.Connections.Remove(id) ? Results.NoContent() : Results.NotFound();
        });
        control.MapGet("/requests", (SandboxState s) =>
        {
            lock (s.Gate) return Results.Json(s.Requests.ToList());
        });
        control.MapDelete("/requests", (SandboxState s) =>
        {
            lock (s.Gate) s.Requests.Clear();
            return Results.NoContent();
        });
    }
}
