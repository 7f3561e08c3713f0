using System.Text.RegularExpressions;
using InventorySync.Api.Endpoints;
using InventorySync.Xero;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace InventorySync.Api.Hosting;

/// <summary>Where a node listens, and the OAuth callback that follows from it.</summary>
public static partial class Addresses
{
    /// <summary>
    /// Listens on <paramref name="url"/> unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> say otherwise, and makes Xero
    /// send the user back to the first address listened on unless <c>Xero__RedirectUri</c> says otherwise.
    /// </summary>
    public static WebApplicationBuilder ListenByDefault(this WebApplicationBuilder builder, string url)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])) builder.WebHost.UseUrls(url);
        builder.Services.PostConfigure<XeroOptions>(o =>
        {
            if (o.RedirectUri.Length == 0)
                o.RedirectUri = CallbackUrl(builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? url);
        });
        return builder;
    }

    /// <summary>The callback on the first address listened on; a wildcard host is this machine.</summary>
    public static string CallbackUrl(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        return new Uri(new Uri(Wildcard().Replace(first, "//127.0.0.1")), XeroConnectionApi.CallbackPath).AbsoluteUri;
    }

    [GeneratedRegex(@"//(\*|\+|0\.0\.0\.0|\[::\])(?=[:/]|$)")]
    private static partial Regex Wildcard();
}
