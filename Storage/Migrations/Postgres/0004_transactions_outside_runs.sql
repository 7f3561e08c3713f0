-- An attachment exported as soon as it is added (S4.2) is a sync transaction of no run: run_id becomes nullable.
ALTER TABLE sync_transactions ALTER COLUMN run_id DROP NOT NULL;
