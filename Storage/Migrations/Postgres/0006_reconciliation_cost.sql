-- A report records what it really cost, and why it failed when it did.
ALTER TABLE reconciliations ADD COLUMN calls integer NULL;
ALTER TABLE reconciliations ADD COLUMN message character varying(4000) NULL;
