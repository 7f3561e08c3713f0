-- Until a run has gone through once, the organisation may hold what we are about to create: runs match first.
ALTER TABLE "xero_connections" ADD COLUMN "onboarded_at" TEXT NULL;
