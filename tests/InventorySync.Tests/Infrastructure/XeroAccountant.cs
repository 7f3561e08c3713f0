using InventorySync.XeroSandbox.Api;
using InventorySync.XeroSandbox.State;
using X = InventorySync.Xero.Models;

namespace InventorySync.Tests.Infrastructure;

// MailKit brings BouncyCastle's top-level "Org" namespace; the emulator's organisation keeps its short name here.
using Org = InventorySync.XeroSandbox.State.Org;

/// <summary>What an accountant does in Xero's own screens, through the emulator's rules for it.</summary>
public static class XeroAccountant
{
    /// <summary>Records a payment on an invoice (or a refund on a credit note) in Xero.</summary>
    public static X.Payment Pay(SandboxState state, Org org, Guid documentId, decimal amount, DateOnly date,
        bool creditNote = false)
    {
        lock (org.DocumentsGate)
        {
            var prepared = DocumentRules.Payment(org, new X.Payment
            {
                Invoice = creditNote ? null : new X.Invoice { InvoiceID = documentId },
                CreditNote = creditNote ? new X.CreditNote { CreditNoteID = documentId } : null,
                Account = new X.AccountRef { Code = "090" }, Amount = amount, Date = X.XeroJson.Date(date),
            }, new BatchContext(), state.Now);
            Assert.Empty(prepared.Errors);
            return (X.Payment)prepared.Commit();
        }
    }

    public static void DeletePayment(SandboxState state, Org org, Guid paymentId)
    {
        lock (org.DocumentsGate) Assert.Null(DocumentRules.DeletePayment(org, org.Payments[paymentId], state.Now));
    }
}
