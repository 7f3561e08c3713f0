using InventorySync.Storage;
using Npgsql;

namespace InventorySync.Tests.Storage;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Statements_are_prepared_and_sessions_kept_unless_the_connection_string_says_otherwise()
    {
        var defaulted = new NpgsqlConnectionStringBuilder(
            StorageRegistration.WithPostgresDefaults("Host=db;Username=app;Password=secret"));
        var chosen = new NpgsqlConnectionStringBuilder(StorageRegistration.WithPostgresDefaults(
            "Host=db;Username=app;Password=secret;Max Auto Prepare=0;No Reset On Close=false"));

        Assert.Equal(StorageRegistration.MaxAutoPrepare, defaulted.MaxAutoPrepare);
        Assert.True(defaulted.NoResetOnClose);
        Assert.Equal("secret", defaulted.Password);
        Assert.Equal(0, chosen.MaxAutoPrepare);
        Assert.False(chosen.NoResetOnClose);
    }
}
