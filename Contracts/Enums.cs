namespace InventorySync.Contracts;

public enum TenantStatus { Active, Disabled }

/// <summary>A sale or a purchase: the inventory-side order that invoices, bills and attachments hang off.</summary>
public enum OrderKind { Sale, Purchase }

/// <summary>Lifecycle of invoices, bills and credit notes (S2.3).</summary>
public enum DocumentStatus { Draft, Authorised, Voided }

/// <summary>Xero's LineAmountTypes: whether line amounts include tax.</summary>
public enum LineAmountTypes { Exclusive, Inclusive, NoTax }

/// <summary>Per-document sync state (S3.9).</summary>
public enum SyncStatus { Pending, Synced, Failed, Skipped }

public enum PaymentKind { Payment, Refund }

/// <summary>Where a payment was recorded: on the inventory side, or in Xero and pulled from there (S5.3).</summary>
public enum PaymentSource { Inventory, Xero }

/// <summary>Customer credits go to Xero as Receive Money, supplier deposits as Spend Money (S5.4).</summary>
public enum BankTransactionKind { CustomerCredit, SupplierDeposit }

public enum PaymentDirection { Both, Push, Pull }

public enum AlertType { Internal, Email }

public enum FrequencyUnit { Minutes, Hours, Days }

public enum AccountPurpose { Sales, Purchases, Bank, CustomerCredits, SupplierDeposits }

public enum RunTrigger { Manual, Auto }

public enum RunState { Queued, Running, Succeeded, CompletedWithErrors, Failed, Stopped, Abandoned }

public enum SyncEntity { Contact, Invoice, Bill, CreditNote, Payment, Refund, CustomerCredit, SupplierDeposit, Attachment }

public enum SyncAction { Create, Update, Void, Link, Export }

public enum ConnectionStatus { NotConnected, Connected, NeedsReauthorisation, Disconnected }

/// <summary>What an entry of the system activity report records (S7).</summary>
public enum ActivityType { Run, AutoSyncChanged, SlotPostponed, SlotSkipped, SyncRefused, ReauthorisationNeeded, Linked,
    Reconciliation, PaymentDirectionChanged, PaymentsPulled }
