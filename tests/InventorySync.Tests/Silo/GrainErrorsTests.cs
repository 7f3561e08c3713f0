using InventorySync.Grains.Common;
using InventorySync.Tests.Infrastructure;
using InventorySync.Xero;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Orleans.Serialization;

namespace InventorySync.Tests.Silo;

/// <summary>
/// An exception a grain raises crosses to its caller on another silo, or on the front end, through the silo's
/// serializer: the API must find there the same exception, with what it answers from.
/// </summary>
public sealed class GrainErrorsTests(SqliteApp fixture) : IClassFixture<SqliteApp>
{
    private T RoundTrip<T>(T error) where T : Exception
    {
        var serializer = fixture.App.Service<Serializer>();
        return Assert.IsType<T>(serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(error)));
    }

    [Fact]
    public void Refusals_keep_their_type_their_message_and_the_fields_the_API_answers_with()
    {
        var run = Guid.NewGuid();
        Assert.Equal(run, RoundTrip(new RunConflictException(run)).RunningRunId);
        var until = new DateTime(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);
        Assert.Equal(until, RoundTrip(new MaintenanceException(until, "upgrade")).Until);
        var invalid = RoundTrip(RequestValidationException.For("invoices[0].total", "must be positive"));
        Assert.Equal(["must be positive"], invalid.Errors["invoices[0].total"]);
        Assert.Equal("The tenant is busy", RoundTrip(new ConflictException("The tenant is busy")).Message);
        Assert.Equal("Tenant x was not found.", RoundTrip(new NotFoundException("Tenant x")).Message);
    }

    [Fact]
    public void Xeros_refusal_of_a_refresh_token_reaches_the_silo_whose_call_needed_it()
    {
        var refused = new XeroInvalidGrantException();
        Assert.Equal(refused.Message, RoundTrip(refused).Message);
        var spent = new XeroDayLimitException(TestClock.Start.UtcDateTime);
        Assert.StartsWith("Xero's daily API limit", RoundTrip(spent).Message);
    }

    [Fact]
    public void A_write_that_PostgreSQL_refused_keeps_its_cause()
    {
        var refused = new DbUpdateException("An error occurred while saving the entity changes.",
            new PostgresException("duplicate key value", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation));
        Assert.IsType<PostgresException>(RoundTrip(refused).InnerException);
    }
}
