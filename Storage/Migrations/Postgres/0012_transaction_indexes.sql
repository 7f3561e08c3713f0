-- A tenant's transactions are listed newest first (by id), a run's found by ix_sync_transactions_run_id. The
-- indexes on (tenant_id, at) and (tenant_id, run_id) served neither: they cost two writes for each transaction a
-- run records, and a tenant's page read and sorted all of the tenant's rows.
DROP INDEX ix_sync_transactions_tenant_id_at;
DROP INDEX ix_sync_transactions_tenant_id_run_id;
CREATE INDEX ix_sync_transactions_tenant_id_id ON sync_transactions (tenant_id, id);
