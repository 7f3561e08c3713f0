-- 0010's 80 left room for a fifth of a page's rows to be rewritten in place: half of a run's two rewrites still
-- moved their row to another page and wrote every index again. Half a page free lets both stay heap-only (seen in
-- the many-tenant bench: 87 % of the invoices' updates instead of 49 %). The tables settle near that size anyway
-- once their rows have been rewritten a few times.
ALTER TABLE contacts SET (fillfactor = 50);
ALTER TABLE invoices SET (fillfactor = 50);
ALTER TABLE credit_notes SET (fillfactor = 50);
ALTER TABLE payments SET (fillfactor = 50);
ALTER TABLE bank_transactions SET (fillfactor = 50);
