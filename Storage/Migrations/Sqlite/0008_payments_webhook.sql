-- Where a tenant's pulled payments are posted, and the secret that signs them (encrypted).
ALTER TABLE "tenant_settings" ADD COLUMN "payments_webhook_url" TEXT NULL;
ALTER TABLE "tenant_settings" ADD COLUMN "payments_webhook_secret_protected" TEXT NULL;
