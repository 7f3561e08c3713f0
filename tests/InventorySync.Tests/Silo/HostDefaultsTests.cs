using InventorySync.Api.Hosting;
using InventorySync.Silo;

namespace InventorySync.Tests.Silo;

/// <summary>Defaults that follow how the node was started, not where it was built.</summary>
public sealed class HostDefaultsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/api/v1/xero/callback")]
    [InlineData("http://127.0.0.1:5181;https://127.0.0.1:5182", "http://127.0.0.1:5181/api/v1/xero/callback")]
    [InlineData("http://*:8080", "http://127.0.0.1:8080/api/v1/xero/callback")]
    [InlineData("http://0.0.0.0:80", "http://127.0.0.1/api/v1/xero/callback")]
    [InlineData("https://sync.example.com", "https://sync.example.com/api/v1/xero/callback")]
    public void The_OAuth_callback_defaults_to_the_first_address_listened_on(string urls, string callback) =>
        Assert.Equal(callback, Addresses.CallbackUrl(urls));

    [Fact]
    public void Started_from_a_folder_without_appsettings_the_node_reads_its_own()
    {
        var elsewhere = Directory.CreateTempSubdirectory("inventorysync-cwd");
        try
        {
            Assert.Equal(AppContext.BaseDirectory, SiloRegistration.ContentRoot([], elsewhere.FullName));
            Assert.Null(SiloRegistration.ContentRoot(["--contentRoot", "/srv/inventorysync"], elsewhere.FullName));
            File.WriteAllText(Path.Combine(elsewhere.FullName, "appsettings.json"), "{}");
            Assert.Null(SiloRegistration.ContentRoot([], elsewhere.FullName));
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }
}
