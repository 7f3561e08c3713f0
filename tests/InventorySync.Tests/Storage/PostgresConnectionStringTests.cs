using InventorySync.Storage;
using Npgsql;

namespace InventorySync.Tests.Storage;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Statements_are_prepared_sessions_kept_and_GSS_left_off_unless_the_connection_string_says_otherwise()
    {
        var defaulted = new NpgsqlConnectionStringBuilder(
            StorageRegistration.WithPostgresDefaults("Host=db;Username=app;Password=secret"));
        var chosen = new NpgsqlConnectionStringBuilder(StorageRegistration.WithPostgresDefaults(
            "Host=db;Username=app;Password=secret;Max Auto Prepare=0;No Reset On Close=false;"
            + "Gss Encryption Mode=Prefer"));

        Assert.Equal(StorageRegistration.MaxAutoPrepare, defaulted.MaxAutoPrepare);
        Assert.True(defaulted.NoResetOnClose);
        Assert.Equal(GssEncryptionMode.Disable, defaulted.GssEncryptionMode);
        Assert.Equal("secret", defaulted.Password);
        Assert.Equal(0, chosen.MaxAutoPrepare);
        Assert.False(chosen.NoResetOnClose);
        Assert.Equal(GssEncryptionMode.Prefer, chosen.GssEncryptionMode);
    }
}
