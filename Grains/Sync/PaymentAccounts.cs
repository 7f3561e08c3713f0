using InventorySync.Contracts;
using X = InventorySync.Xero.Models;

namespace InventorySync.Grains.Sync;

/// <summary>
/// Whether the tenant's mapped accounts let a customer credit or a supplier deposit go to Xero (S5.4): a bank account
/// for the money, and a Customer Credits (Supplier Deposits) account that exists, is active and accepts payments.
/// Each problem is said in words that name the account and what to change.
/// </summary>
public sealed class PaymentAccounts(IReadOnlyList<X.Account> chart, IReadOnlyDictionary<AccountPurpose, string> mapped)
{
    public string? Bank => mapped.GetValueOrDefault(AccountPurpose.Bank);

    public string? CodeFor(BankTransactionKind kind) => mapped.GetValueOrDefault(Purpose(kind));

    /// <summary>What stops a transaction of this kind from being sent, or null when nothing does.</summary>
    public string? ProblemFor(BankTransactionKind kind) => BankProblem() ?? AccountProblem(kind);

    private string? BankProblem()
    {
        if (Bank is null)
            return "No Bank account is mapped: map the Xero bank account the money goes through in the account "
                   + "mapping.";
        var bank = Find(Bank);
        if (bank is null)
            return $"The mapped Bank account {Bank} does not exist in Xero: map one of the organisation's bank "
                   + "accounts.";
        return bank.Type == "BANK" ? Inactive(bank, "Bank")
            : $"The mapped Bank account {Describe(bank)} is not a bank account in Xero (it is {bank.Type}): map a bank "
              + "account.";
    }

    private string? AccountProblem(BankTransactionKind kind)
    {
        var (name, type) = kind == BankTransactionKind.CustomerCredit
            ? ("Customer Credits", "a current liability")
            : ("Supplier Deposits", "a current asset");
        var advice =
            $"create it in Xero as {type} account with tax None and \"Enable payments to this account\" ticked";
        if (CodeFor(kind) is not { } code)
            return $"No {name} account is mapped: {advice}, and map it in the account mapping.";
        var account = Find(code);
        if (account is null)
            return $"The mapped {name} account {code} does not exist in Xero: {advice}, or map another account.";
        return Inactive(account, name) ?? (account.EnablePaymentsToAccount == true ? null
            : $"The mapped {name} account {Describe(account)} does not accept payments in Xero: tick \"Enable payments "
              + "to this account\" on it in Xero's chart of accounts, or map another account.");
    }

    private static string? Inactive(X.Account account, string name) => account.Status is null or "ACTIVE" ? null
        : $"The mapped {name} account {Describe(account)} is archived in Xero: restore it there or map another "
          + "account.";

    private X.Account? Find(string code) =>
        chart.FirstOrDefault(a => string.Equals(a.Code, code, StringComparison.OrdinalIgnoreCase));

    private static string Describe(X.Account a) => $"{a.Code} ({a.Name})";

    private static AccountPurpose Purpose(BankTransactionKind kind) => kind == BankTransactionKind.CustomerCredit
        ? AccountPurpose.CustomerCredits
        : AccountPurpose.SupplierDeposits;
}
