-- A run rewrites each document's sync columns twice (sending, then the outcome). Room left free in every page lets
-- PostgreSQL put the new row version beside the old one without touching the indexes (a heap-only update): about
-- a quarter of the cost of those writes. Rows stored before this take the room when they are next rewritten.
ALTER TABLE contacts SET (fillfactor = 80);
ALTER TABLE invoices SET (fillfactor = 80);
ALTER TABLE credit_notes SET (fillfactor = 80);
ALTER TABLE payments SET (fillfactor = 80);
ALTER TABLE bank_transactions SET (fillfactor = 80);
