-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN "claimedBy" TEXT;

