-- AlterTable
ALTER TABLE "StripeEvent" ADD COLUMN "objectId" TEXT;

-- CreateIndex
CREATE INDEX "SagaRun_shop_createdAt_id_idx" ON "SagaRun"("shop", "createdAt", "id");

-- CreateIndex
CREATE INDEX "SagaRun_shop_state_createdAt_idx" ON "SagaRun"("shop", "state", "createdAt");

-- CreateIndex
CREATE INDEX "StripeEvent_shop_objectId_idx" ON "StripeEvent"("shop", "objectId");

