using System.Security.Claims;
using InventorySync.Api.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InventorySync.Web.Pages;

/// <summary>Signs in with an API key, once: the cookie then carries the user, never the key.</summary>
public sealed class SignInModel(ApiKeyPrincipals principals) : PageModel
{
    public string? Refusal { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(string? key, [FromQuery] string? returnUrl)
    {
        var (claims, refusal) = string.IsNullOrWhiteSpace(key)
            ? (null, "Enter your API key.")
            : await principals.ForKeyAsync(key, HttpContext.RequestAborted);
        if (claims is null)
        {
            Refusal = refusal;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await HttpContext.SignInAsync(WebRegistration.CookieScheme,
            new ClaimsPrincipal(new ClaimsIdentity(claims, WebRegistration.CookieScheme)));
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
