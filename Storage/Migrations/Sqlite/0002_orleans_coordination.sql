-- Orleans coordinates the nodes now (grains, reminders, membership): the database leases and fences go.
DROP TABLE "leases";
DROP TABLE "nodes";
DROP INDEX "ix_runs_state_lease_until";
ALTER TABLE "runs" DROP COLUMN "lease_until";
ALTER TABLE "runs" DROP COLUMN "fence";
ALTER TABLE "schedules" DROP COLUMN "version";
