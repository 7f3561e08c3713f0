-- A report records what it really cost, and why it failed when it did.
ALTER TABLE "reconciliations" ADD COLUMN "calls" INTEGER NULL;
ALTER TABLE "reconciliations" ADD COLUMN "message" TEXT NULL;
