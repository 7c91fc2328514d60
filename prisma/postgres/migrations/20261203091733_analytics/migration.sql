-- The merchant's results (issue 14), recorded as they happen.

-- AlterTable
ALTER TABLE "Cart" ADD COLUMN     "lostReason" TEXT,
ADD COLUMN     "stage" TEXT NOT NULL DEFAULT 'cart';

-- AlterTable
ALTER TABLE "Hold" ADD COLUMN     "contestedAt" TIMESTAMP(3),
ADD COLUMN     "orderId" TEXT,
ADD COLUMN     "units" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "HoldRefusal" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "ownerType" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "shortUnits" INTEGER NOT NULL,
    "contestedUnits" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HoldRefusal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HoldRefusal_shop_at_shortUnits_contestedUnits_idx" ON "HoldRefusal"("shop", "at", "shortUnits", "contestedUnits");
CREATE INDEX "HoldRefusal_shop_ownerType_ownerId_at_idx" ON "HoldRefusal"("shop", "ownerType", "ownerId", "at");

-- CreateIndex
CREATE INDEX "Cart_shop_createdAt_stage_lostReason_mergedIntoId_idx" ON "Cart"("shop", "createdAt", "stage", "lostReason", "mergedIntoId");

-- CreateIndex
CREATE INDEX "Hold_shop_endedAt_state_units_contestedAt_createdAt_idx" ON "Hold"("shop", "endedAt", "state", "units", "contestedAt", "createdAt");


-- The furthest stage existing carts are known to have reached.
UPDATE "Cart" SET "stage" = CASE WHEN "convertedAt" IS NOT NULL THEN 'order' WHEN "checkoutStartedAt" IS NOT NULL THEN 'checkout' ELSE 'cart' END;

-- Existing holds' units, from their lines.
UPDATE "Hold" SET "units" = (SELECT COALESCE(SUM((l->>'quantity')::int), 0) FROM jsonb_array_elements("Hold"."lines"::jsonb) AS l);
