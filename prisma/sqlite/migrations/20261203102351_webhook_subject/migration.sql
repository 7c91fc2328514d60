-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN "subjectId" TEXT;

-- CreateIndex
CREATE INDEX "WebhookEvent_shop_subjectId_idx" ON "WebhookEvent"("shop", "subjectId");

