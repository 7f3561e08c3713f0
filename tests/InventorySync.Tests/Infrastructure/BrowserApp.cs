using Microsoft.AspNetCore.Hosting;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using InventorySync.Storage;

namespace InventorySync.Tests.Infrastructure;

/// <summary>
/// The product on a real loopback port (Kestrel, not the test server), its Xero the emulator, driven by a real
/// headless Chromium through chromedriver (Debian's <c>chromium</c> and <c>chromium-driver</c>, which test.sh
/// installs).
/// </summary>
public sealed class BrowserApp() : XeroApp(DatabaseProvider.Sqlite)
{
    private ChromeDriver? _driver;

    public int Port { get; } = Ports.Free();
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public IWebDriver Driver => _driver!;

    protected override async Task StartingAsync(AppFactory app)
    {
        app.UseKestrel(Port);
        await base.StartingAsync(app);
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Opens a page of ours.</summary>
    public void Open(string path) => Driver.Navigate().GoToUrl(BaseUrl + path);

    /// <summary>Waits for what the page shows to satisfy <paramref name="condition"/> (the browser renders on its own
    /// time; nothing here depends on the product's clock).</summary>
    public T Until<T>(Func<IWebDriver, T> condition)
    {
        try
        {
            return new WebDriverWait(Driver, TimeSpan.FromSeconds(30)).Until(condition);
        }
        catch (WebDriverTimeoutException e)
        {
            throw new WebDriverTimeoutException(
                $"{e.Message} The browser shows {Driver.Url}:\n{Driver.FindElement(By.TagName("body")).Text}", e);
        }
    }

    public override async Task DisposeAsync()
    {
        _driver?.Quit();
        _driver?.Dispose();
        await base.DisposeAsync();
    }
}
