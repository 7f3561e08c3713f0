-- Payments pulled from Xero: their place in the tenant's changes feed, and when Xero deleted them.
ALTER TABLE payments ADD COLUMN feed_sequence bigint NULL;
ALTER TABLE payments ADD COLUMN deleted_in_xero_at timestamp with time zone NULL;
CREATE UNIQUE INDEX ix_payments_tenant_id_feed_sequence ON payments (tenant_id, feed_sequence);
