-- Initial schema: every table SPEC.md needs. Drafted from the EF model (GenerateCreateScript), then kept by hand.
CREATE TABLE "data_protection_keys" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_data_protection_keys" PRIMARY KEY AUTOINCREMENT,
    "friendly_name" TEXT NOT NULL,
    "xml" TEXT NOT NULL
);

CREATE TABLE "idempotency_records" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status_code" INTEGER NOT NULL,
    "location" TEXT NULL,
    "body" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_idempotency_records" PRIMARY KEY ("scope", "key")
);

CREATE TABLE "leases" (
    "key" TEXT NOT NULL CONSTRAINT "pk_leases" PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "until" TEXT NOT NULL,
    "fence" INTEGER NOT NULL
);

CREATE TABLE "maintenance_windows" (
    "id" TEXT NOT NULL CONSTRAINT "pk_maintenance_windows" PRIMARY KEY,
    "starts_at" TEXT NOT NULL,
    "ends_at" TEXT NOT NULL,
    "reason" TEXT NULL,
    "created_at" TEXT NOT NULL
);

CREATE TABLE "nodes" (
    "node_id" TEXT NOT NULL CONSTRAINT "pk_nodes" PRIMARY KEY,
    "started_at" TEXT NOT NULL,
    "last_seen_at" TEXT NOT NULL
);

CREATE TABLE "operator_keys" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_operator_keys" PRIMARY KEY AUTOINCREMENT,
    "key_hash" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);

CREATE TABLE "tenants" (
    "id" TEXT NOT NULL CONSTRAINT "pk_tenants" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

CREATE TABLE "account_mappings" (
    "tenant_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "account_code" TEXT NOT NULL,
    CONSTRAINT "pk_account_mappings" PRIMARY KEY ("tenant_id", "purpose"),
    CONSTRAINT "fk_account_mappings_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "activity" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_activity" PRIMARY KEY AUTOINCREMENT,
    "tenant_id" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "user_name" TEXT NULL,
    "summary" TEXT NOT NULL,
    "details" TEXT NULL,
    CONSTRAINT "fk_activity_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "contacts" (
    "id" TEXT NOT NULL CONSTRAINT "pk_contacts" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "email" TEXT NULL,
    "is_customer" INTEGER NOT NULL,
    "is_supplier" INTEGER NOT NULL,
    "tax_number" TEXT NULL,
    "account_number" TEXT NULL,
    "phone" TEXT NULL,
    "sync_attempts" INTEGER NOT NULL,
    "sync_last_error" TEXT NULL,
    "sync_last_run_id" TEXT NULL,
    "sync_pending_since" TEXT NULL,
    "sync_status" TEXT NOT NULL,
    "sync_synced_version" INTEGER NULL,
    "sync_xero_id" TEXT NULL,
    "tenant_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_contacts_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "notifications" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_notifications" PRIMARY KEY AUTOINCREMENT,
    "tenant_id" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "read_at" TEXT NULL,
    CONSTRAINT "fk_notifications_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "outbox" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_outbox" PRIMARY KEY AUTOINCREMENT,
    "tenant_id" TEXT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "sent_at" TEXT NULL,
    "last_error" TEXT NULL,
    CONSTRAINT "fk_outbox_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "reconciliations" (
    "id" TEXT NOT NULL CONSTRAINT "pk_reconciliations" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "accounts" TEXT NOT NULL,
    "detailed" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "estimated_calls" INTEGER NOT NULL,
    "result" TEXT NULL,
    "email" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "finished_at" TEXT NULL,
    CONSTRAINT "fk_reconciliations_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "runs" (
    "id" TEXT NOT NULL CONSTRAINT "pk_runs" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "started_by" TEXT NULL,
    "state" TEXT NOT NULL,
    "cutoff" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "started_at" TEXT NULL,
    "finished_at" TEXT NULL,
    "owner" TEXT NULL,
    "lease_until" TEXT NULL,
    "fence" INTEGER NOT NULL,
    "synced_count" INTEGER NOT NULL,
    "failed_count" INTEGER NOT NULL,
    "skipped_count" INTEGER NOT NULL,
    "pending_count" INTEGER NOT NULL,
    "message" TEXT NULL,
    CONSTRAINT "fk_runs_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "schedules" (
    "tenant_id" TEXT NOT NULL CONSTRAINT "pk_schedules" PRIMARY KEY,
    "start_utc" TEXT NOT NULL,
    "period_seconds" INTEGER NOT NULL,
    "time_zone" TEXT NOT NULL,
    "next_due_utc" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "fk_schedules_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "tenant_settings" (
    "tenant_id" TEXT NOT NULL CONSTRAINT "pk_tenant_settings" PRIMARY KEY,
    "export_attachments" INTEGER NOT NULL,
    "payment_direction" TEXT NOT NULL,
    "auto_sync_enabled" INTEGER NOT NULL,
    "auto_sync_start_date" TEXT NULL,
    "auto_sync_start_time" TEXT NULL,
    "auto_sync_every" INTEGER NOT NULL,
    "auto_sync_unit" TEXT NOT NULL,
    "alert_type" TEXT NOT NULL,
    "alert_emails" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_tenant_settings_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "users" (
    "id" TEXT NOT NULL CONSTRAINT "pk_users" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "revoked_at" TEXT NULL,
    CONSTRAINT "fk_users_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "xero_connections" (
    "tenant_id" TEXT NOT NULL CONSTRAINT "pk_xero_connections" PRIMARY KEY,
    "status" TEXT NOT NULL,
    "xero_tenant_id" TEXT NULL,
    "connection_id" TEXT NULL,
    "organisation_name" TEXT NULL,
    "access_token_protected" TEXT NULL,
    "refresh_token_protected" TEXT NULL,
    "access_token_expires_at" TEXT NULL,
    "pending_state" TEXT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_xero_connections_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "orders" (
    "id" TEXT NOT NULL CONSTRAINT "pk_orders" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "reference" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_orders_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id"),
    CONSTRAINT "fk_orders_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "sync_transactions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_sync_transactions" PRIMARY KEY AUTOINCREMENT,
    "run_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "document_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT NULL,
    "xero_id" TEXT NULL,
    "at" TEXT NOT NULL,
    CONSTRAINT "fk_sync_transactions_run_id" FOREIGN KEY ("run_id") REFERENCES "runs" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_sync_transactions_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "attachments" (
    "id" TEXT NOT NULL CONSTRAINT "pk_attachments" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_attachments_order_id" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_attachments_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "bank_transactions" (
    "id" TEXT NOT NULL CONSTRAINT "pk_bank_transactions" PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "contact_id" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "reference" TEXT NULL,
    "sync_attempts" INTEGER NOT NULL,
    "sync_last_error" TEXT NULL,
    "sync_last_run_id" TEXT NULL,
    "sync_pending_since" TEXT NULL,
    "sync_status" TEXT NOT NULL,
    "sync_synced_version" INTEGER NULL,
    "sync_xero_id" TEXT NULL,
    "tenant_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_bank_transactions_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id"),
    CONSTRAINT "fk_bank_transactions_order_id" FOREIGN KEY ("order_id") REFERENCES "orders" ("id"),
    CONSTRAINT "fk_bank_transactions_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "credit_notes" (
    "id" TEXT NOT NULL CONSTRAINT "pk_credit_notes" PRIMARY KEY,
    "contact_id" TEXT NOT NULL,
    "order_id" TEXT NULL,
    "credit_note_number" TEXT NULL,
    "sync_attempts" INTEGER NOT NULL,
    "sync_last_error" TEXT NULL,
    "sync_last_run_id" TEXT NULL,
    "sync_pending_since" TEXT NULL,
    "sync_status" TEXT NOT NULL,
    "sync_synced_version" INTEGER NULL,
    "sync_xero_id" TEXT NULL,
    "tenant_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reference" TEXT NULL,
    "date" TEXT NOT NULL,
    "currency_code" TEXT NOT NULL,
    "line_amount_types" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sub_total" TEXT NOT NULL,
    "total_tax" TEXT NOT NULL,
    "total" TEXT NOT NULL,
    "amount_paid" TEXT NOT NULL,
    CONSTRAINT "fk_credit_notes_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contacts" ("id"),
    CONSTRAINT "fk_credit_notes_order_id" FOREIGN KEY ("order_id") REFERENCES "orders" ("id"),
    CONSTRAINT "fk_credit_notes_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "invoices" (
    "id" TEXT NOT NULL CONSTRAINT "pk_invoices" PRIMARY KEY,
    "order_id" TEXT NOT NULL,
    "invoice_number" TEXT NULL,
    "due_date" TEXT NULL,
    "sync_attempts" INTEGER NOT NULL,
    "sync_last_error" TEXT NULL,
    "sync_last_run_id" TEXT NULL,
    "sync_pending_since" TEXT NULL,
    "sync_status" TEXT NOT NULL,
    "sync_synced_version" INTEGER NULL,
    "sync_xero_id" TEXT NULL,
    "tenant_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reference" TEXT NULL,
    "date" TEXT NOT NULL,
    "currency_code" TEXT NOT NULL,
    "line_amount_types" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sub_total" TEXT NOT NULL,
    "total_tax" TEXT NOT NULL,
    "total" TEXT NOT NULL,
    "amount_paid" TEXT NOT NULL,
    CONSTRAINT "fk_invoices_order_id" FOREIGN KEY ("order_id") REFERENCES "orders" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_invoices_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "attachment_contents" (
    "attachment_id" TEXT NOT NULL CONSTRAINT "pk_attachment_contents" PRIMARY KEY,
    "content" BLOB NOT NULL,
    CONSTRAINT "fk_attachment_contents_attachment_id" FOREIGN KEY ("attachment_id") REFERENCES "attachments" ("id") ON DELETE CASCADE
);

CREATE TABLE "credit_note_lines" (
    "line_number" INTEGER NOT NULL,
    "document_id" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" TEXT NOT NULL,
    "unit_amount" TEXT NOT NULL,
    "account_code" TEXT NULL,
    "tax_rate" TEXT NOT NULL,
    "item_code" TEXT NULL,
    "line_amount" TEXT NOT NULL,
    "tax_amount" TEXT NOT NULL,
    CONSTRAINT "pk_credit_note_lines" PRIMARY KEY ("document_id", "line_number"),
    CONSTRAINT "fk_credit_note_lines_document_id" FOREIGN KEY ("document_id") REFERENCES "credit_notes" ("id") ON DELETE CASCADE
);

CREATE TABLE "attachment_exports" (
    "attachment_id" TEXT NOT NULL,
    "invoice_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "xero_attachment_id" TEXT NULL,
    "last_error" TEXT NULL,
    "attempts" INTEGER NOT NULL,
    "exported_at" TEXT NULL,
    CONSTRAINT "pk_attachment_exports" PRIMARY KEY ("attachment_id", "invoice_id"),
    CONSTRAINT "fk_attachment_exports_attachment_id" FOREIGN KEY ("attachment_id") REFERENCES "attachments" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_attachment_exports_invoice_id" FOREIGN KEY ("invoice_id") REFERENCES "invoices" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_attachment_exports_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE TABLE "invoice_lines" (
    "line_number" INTEGER NOT NULL,
    "document_id" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" TEXT NOT NULL,
    "unit_amount" TEXT NOT NULL,
    "account_code" TEXT NULL,
    "tax_rate" TEXT NOT NULL,
    "item_code" TEXT NULL,
    "line_amount" TEXT NOT NULL,
    "tax_amount" TEXT NOT NULL,
    CONSTRAINT "pk_invoice_lines" PRIMARY KEY ("document_id", "line_number"),
    CONSTRAINT "fk_invoice_lines_document_id" FOREIGN KEY ("document_id") REFERENCES "invoices" ("id") ON DELETE CASCADE
);

CREATE TABLE "payments" (
    "id" TEXT NOT NULL CONSTRAINT "pk_payments" PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "invoice_id" TEXT NULL,
    "credit_note_id" TEXT NULL,
    "amount" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "reference" TEXT NULL,
    "account_code" TEXT NULL,
    "from_xero" INTEGER NOT NULL,
    "sync_attempts" INTEGER NOT NULL,
    "sync_last_error" TEXT NULL,
    "sync_last_run_id" TEXT NULL,
    "sync_pending_since" TEXT NULL,
    "sync_status" TEXT NOT NULL,
    "sync_synced_version" INTEGER NULL,
    "sync_xero_id" TEXT NULL,
    "tenant_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_payments_credit_note_id" FOREIGN KEY ("credit_note_id") REFERENCES "credit_notes" ("id"),
    CONSTRAINT "fk_payments_invoice_id" FOREIGN KEY ("invoice_id") REFERENCES "invoices" ("id"),
    CONSTRAINT "fk_payments_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_activity_tenant_id_at" ON "activity" ("tenant_id", "at");

CREATE INDEX "ix_attachment_exports_invoice_id" ON "attachment_exports" ("invoice_id");

CREATE INDEX "ix_attachment_exports_tenant_id" ON "attachment_exports" ("tenant_id");

CREATE INDEX "ix_attachments_order_id" ON "attachments" ("order_id");

CREATE INDEX "ix_attachments_tenant_id" ON "attachments" ("tenant_id");

CREATE INDEX "ix_bank_transactions_contact_id" ON "bank_transactions" ("contact_id");

CREATE INDEX "ix_bank_transactions_order_id" ON "bank_transactions" ("order_id");

CREATE INDEX "ix_bank_transactions_tenant_id_created_at" ON "bank_transactions" ("tenant_id", "created_at");

CREATE INDEX "ix_contacts_tenant_id_created_at" ON "contacts" ("tenant_id", "created_at");

CREATE INDEX "ix_credit_notes_contact_id" ON "credit_notes" ("contact_id");

CREATE INDEX "ix_credit_notes_order_id" ON "credit_notes" ("order_id");

CREATE INDEX "ix_credit_notes_tenant_id_created_at" ON "credit_notes" ("tenant_id", "created_at");

CREATE INDEX "ix_idempotency_records_created_at" ON "idempotency_records" ("created_at");

CREATE INDEX "ix_invoices_order_id" ON "invoices" ("order_id");

CREATE INDEX "ix_invoices_tenant_id_created_at" ON "invoices" ("tenant_id", "created_at");

CREATE UNIQUE INDEX "ix_invoices_tenant_id_invoice_number" ON "invoices" ("tenant_id", "invoice_number") WHERE kind = 'Sale';

CREATE INDEX "ix_maintenance_windows_starts_at_ends_at" ON "maintenance_windows" ("starts_at", "ends_at");

CREATE INDEX "ix_notifications_tenant_id_at" ON "notifications" ("tenant_id", "at");

CREATE INDEX "ix_orders_contact_id" ON "orders" ("contact_id");

CREATE INDEX "ix_orders_tenant_id_kind_created_at" ON "orders" ("tenant_id", "kind", "created_at");

CREATE INDEX "ix_outbox_sent_at_next_attempt_at" ON "outbox" ("sent_at", "next_attempt_at");

CREATE INDEX "ix_outbox_tenant_id" ON "outbox" ("tenant_id");

CREATE INDEX "ix_payments_credit_note_id" ON "payments" ("credit_note_id");

CREATE INDEX "ix_payments_invoice_id" ON "payments" ("invoice_id");

CREATE INDEX "ix_payments_tenant_id_created_at" ON "payments" ("tenant_id", "created_at");

CREATE INDEX "ix_reconciliations_tenant_id_created_at" ON "reconciliations" ("tenant_id", "created_at");

CREATE INDEX "ix_runs_state_lease_until" ON "runs" ("state", "lease_until");

CREATE INDEX "ix_runs_tenant_id_created_at" ON "runs" ("tenant_id", "created_at");

CREATE UNIQUE INDEX "ux_runs_one_active_per_tenant" ON "runs" ("tenant_id") WHERE state IN ('Queued', 'Running');

CREATE INDEX "ix_schedules_next_due_utc" ON "schedules" ("next_due_utc");

CREATE INDEX "ix_sync_transactions_run_id" ON "sync_transactions" ("run_id");

CREATE INDEX "ix_sync_transactions_tenant_id_at" ON "sync_transactions" ("tenant_id", "at");

CREATE INDEX "ix_sync_transactions_tenant_id_run_id" ON "sync_transactions" ("tenant_id", "run_id");

CREATE UNIQUE INDEX "ix_users_key_hash" ON "users" ("key_hash");

CREATE INDEX "ix_users_tenant_id" ON "users" ("tenant_id");

