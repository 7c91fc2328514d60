-- The merchant's results (issue 14), recorded as they happen. Columns are added in place
-- (ALTER TABLE): redefining "Hold" would drop the triggers that keep the stock ledger.

-- CreateTable
CREATE TABLE "HoldRefusal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "ownerType" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "shortUnits" INTEGER NOT NULL,
    "contestedUnits" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "HoldRefusal_shop_at_shortUnits_contestedUnits_idx" ON "HoldRefusal"("shop", "at", "shortUnits", "contestedUnits");
CREATE INDEX "HoldRefusal_shop_ownerType_ownerId_at_idx" ON "HoldRefusal"("shop", "ownerType", "ownerId", "at");

-- AlterTable
ALTER TABLE "Cart" ADD COLUMN "stage" TEXT NOT NULL DEFAULT 'cart';
ALTER TABLE "Cart" ADD COLUMN "lostReason" TEXT;
CREATE INDEX "Cart_shop_createdAt_stage_lostReason_mergedIntoId_idx" ON "Cart"("shop", "createdAt", "stage", "lostReason", "mergedIntoId");

-- The furthest stage existing carts are known to have reached.
UPDATE "Cart" SET "stage" = CASE WHEN "convertedAt" IS NOT NULL THEN 'order' WHEN "checkoutStartedAt" IS NOT NULL THEN 'checkout' ELSE 'cart' END;

-- AlterTable
ALTER TABLE "Hold" ADD COLUMN "units" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Hold" ADD COLUMN "orderId" TEXT;
ALTER TABLE "Hold" ADD COLUMN "contestedAt" DATETIME;
CREATE INDEX "Hold_shop_endedAt_state_units_contestedAt_createdAt_idx" ON "Hold"("shop", "endedAt", "state", "units", "contestedAt", "createdAt");

-- Existing holds' units, from their lines.
UPDATE "Hold" SET "units" = (SELECT COALESCE(SUM(json_extract(l.value, '$.quantity')), 0) FROM json_each("Hold"."lines") AS l);
