-- CreateTable
CREATE TABLE "Cart" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" TEXT,
    "currency" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "shippingAddress" TEXT,
    "billingAddress" TEXT,
    "discountCodes" TEXT NOT NULL DEFAULT '[]',
    "shippingRateId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkoutStartedAt" TIMESTAMP(3),
    "convertedAt" TIMESTAMP(3),
    "abandonedAt" TIMESTAMP(3),

    CONSTRAINT "Cart_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CartLine" (
    "id" TEXT NOT NULL,
    "cartId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPrice" INTEGER NOT NULL,
    "requiresShipping" BOOLEAN NOT NULL,
    "weightGrams" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CartLine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Cart_shop_customerId_idx" ON "Cart"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Cart_shop_lastActivityAt_idx" ON "Cart"("shop", "lastActivityAt");

-- CreateIndex
CREATE INDEX "CartLine_shop_idx" ON "CartLine"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "CartLine_cartId_variantId_key" ON "CartLine"("cartId", "variantId");

