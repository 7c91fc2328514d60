-- AlterTable
ALTER TABLE "Cart" ADD COLUMN     "totalsReason" TEXT NOT NULL DEFAULT 'cart created',
ADD COLUMN     "totalsVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "totalsMode" TEXT NOT NULL DEFAULT 'sync';

-- CreateTable
CREATE TABLE "CartTotals" (
    "cartId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "totals" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CartTotals_pkey" PRIMARY KEY ("cartId")
);

-- CreateIndex
CREATE INDEX "CartTotals_shop_idx" ON "CartTotals"("shop");

