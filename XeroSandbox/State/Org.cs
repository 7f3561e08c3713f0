using InventorySync.Xero.Models;

namespace InventorySync.XeroSandbox.State;

/// <summary>One Xero organisation held in memory, with Xero's per-organisation limits.</summary>
public sealed class Org
{
    public required Guid Id { get; init; }
    public required string Name { get; set; }
    public string BaseCurrency { get; set; } = "NZD";
    public DateTime CreatedAt { get; init; }
    public int MinuteLimit { get; set; } = 60;
    public int DayLimit { get; set; } = 5000;
    public int ConcurrentLimit { get; set; } = 5;

    /// <summary>
    /// Guards the organisation's documents, so that calls to different organisations do not wait on each other, as
    /// at Xero. Its limits and call counters stay under <see cref="SandboxState.Gate"/>.
    /// </summary>
    public Lock DocumentsGate { get; } = new();

    public List<Account> Accounts { get; } = [];
    public Dictionary<Guid, Contact> Contacts { get; } = [];
    public Dictionary<Guid, Invoice> Invoices { get; } = [];
    /// <summary>Sale invoice numbers in use (not deleted), as Xero keeps them unique.</summary>
    public Dictionary<string, Guid> SaleInvoiceNumbers { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<Guid, CreditNote> CreditNotes { get; } = [];
    public Dictionary<Guid, Payment> Payments { get; } = [];
    public Dictionary<Guid, BankTransaction> BankTransactions { get; } = [];
    public Dictionary<Guid, List<StoredAttachment>> Attachments { get; } = [];
    /// <summary>When each document last changed, for If-Modified-Since.</summary>
    public Dictionary<Guid, DateTime> UpdatedAt { get; } = [];

    public Queue<DateTime> MinuteCalls { get; } = new();
    public Queue<DateTime> DayCalls { get; } = new();
    public int InFlight { get; set; }
    public int NextInvoiceNumber { get; set; } = 1;

    /// <summary>Xero's tax rates by TaxType, as a percentage.</summary>
    public static readonly IReadOnlyDictionary<string, decimal> TaxRates = new Dictionary<string,
        decimal>(StringComparer.OrdinalIgnoreCase)
    {
        ["NONE"] = 0m, ["OUTPUT"] = 15m, ["INPUT"] = 15m, ["OUTPUT2"] = 15m, ["INPUT2"] = 15m,
        ["EXEMPTOUTPUT"] = 0m, ["EXEMPTEXPENSES"] = 0m, ["ZERORATEDOUTPUT"] = 0m, ["ZERORATEDINPUT"] = 0m,
    };

    public static Org Create(string name, string baseCurrency, DateTime now)
    {
        var org = new Org { Id = Guid.NewGuid(), Name = name, BaseCurrency = baseCurrency, CreatedAt = now };
        // A small chart like Xero's demo company, with the accounts the integration maps.
        (string Code, string Name, string Type, string Class, bool Payments)[] chart =
        [
            ("090", "Business Bank Account", "BANK", "ASSET", false),
            ("091", "Business Savings Account", "BANK", "ASSET", false),
            ("200", "Sales", "REVENUE", "REVENUE", false),
            ("260", "Other Revenue", "REVENUE", "REVENUE", false),
            ("300", "Purchases", "DIRECTCOSTS", "EXPENSE", false),
            ("310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE", false),
            ("400", "Advertising", "EXPENSE", "EXPENSE", false),
            ("610", "Accounts Receivable", "CURRENT", "ASSET", false),
            ("630", "Inventory", "INVENTORY", "ASSET", false),
            ("640", "Supplier Deposits", "CURRENT", "ASSET", true),
            ("800", "Accounts Payable", "CURRLIAB", "LIABILITY", false),
            ("820", "Sales Tax", "CURRLIAB", "LIABILITY", false),
            ("840", "Customer Credits", "CURRLIAB", "LIABILITY", true),
            ("850", "Suspense", "CURRLIAB", "LIABILITY", false),
        ];
        foreach (var a in chart)
            org.Accounts.Add(new Account
            {
                AccountID = Guid.NewGuid(), Code = a.Code, Name = a.Name, Type = a.Type, Class = a.Class,
                    Status = "ACTIVE",
                EnablePaymentsToAccount = a.Payments, TaxType = a.Type == "BANK" ? null : "NONE",
                BankAccountNumber = a.Type == "BANK" ? "12-3456-7890123-00" : null,
            });
        return org;
    }

    public Account? FindAccount(AccountRef? reference) => reference is null ? null : Accounts.FirstOrDefault(a =>
        (reference.AccountID is { } id && a.AccountID == id) || (reference.Code is { } code && a.Code == code));
}

public sealed record StoredAttachment(Guid Id, string FileName, string MimeType, byte[] Content, bool IncludeOnline);
