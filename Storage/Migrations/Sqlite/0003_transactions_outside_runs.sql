-- An attachment exported as soon as it is added (S4.2) is a sync transaction of no run: run_id becomes nullable.
-- SQLite changes a column's nullability by building the table again.
CREATE TABLE "sync_transactions_new" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_sync_transactions" PRIMARY KEY AUTOINCREMENT,
    "run_id" TEXT NULL,
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
INSERT INTO "sync_transactions_new" SELECT "id", "run_id", "tenant_id", "entity", "document_id", "document_label",
    "action", "status", "message", "xero_id", "at" FROM "sync_transactions";
DROP TABLE "sync_transactions";
ALTER TABLE "sync_transactions_new" RENAME TO "sync_transactions";
CREATE INDEX "ix_sync_transactions_run_id" ON "sync_transactions" ("run_id");
CREATE INDEX "ix_sync_transactions_tenant_id_at" ON "sync_transactions" ("tenant_id", "at");
CREATE INDEX "ix_sync_transactions_tenant_id_run_id" ON "sync_transactions" ("tenant_id", "run_id");
