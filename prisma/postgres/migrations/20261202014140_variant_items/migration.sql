-- CreateTable
CREATE TABLE "VariantItem" (
    "shop" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VariantItem_pkey" PRIMARY KEY ("shop","variantId")
);

-- CreateIndex
CREATE INDEX "VariantItem_shop_inventoryItemId_idx" ON "VariantItem"("shop", "inventoryItemId");

