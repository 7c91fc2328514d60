-- CreateTable
CREATE TABLE "CartTotals" (
    "cartId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "totals" TEXT NOT NULL,
    "computedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Cart" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerId" TEXT,
    "currency" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "shippingAddress" TEXT,
    "billingAddress" TEXT,
    "discountCodes" TEXT NOT NULL DEFAULT '[]',
    "shippingRateId" TEXT,
    "totalsVersion" INTEGER NOT NULL DEFAULT 0,
    "totalsReason" TEXT NOT NULL DEFAULT 'cart created',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActivityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkoutStartedAt" DATETIME,
    "convertedAt" DATETIME,
    "abandonedAt" DATETIME
);
INSERT INTO "new_Cart" ("abandonedAt", "billingAddress", "checkoutStartedAt", "convertedAt", "createdAt", "currency", "customerId", "discountCodes", "email", "id", "lastActivityAt", "phone", "shippingAddress", "shippingRateId", "shop") SELECT "abandonedAt", "billingAddress", "checkoutStartedAt", "convertedAt", "createdAt", "currency", "customerId", "discountCodes", "email", "id", "lastActivityAt", "phone", "shippingAddress", "shippingRateId", "shop" FROM "Cart";
DROP TABLE "Cart";
ALTER TABLE "new_Cart" RENAME TO "Cart";
CREATE INDEX "Cart_shop_customerId_idx" ON "Cart"("shop", "customerId");
CREATE INDEX "Cart_shop_lastActivityAt_idx" ON "Cart"("shop", "lastActivityAt");
CREATE TABLE "new_Shop" (
    "domain" TEXT NOT NULL PRIMARY KEY,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "scopes" TEXT,
    "holdTtlMinutes" INTEGER NOT NULL DEFAULT 15,
    "holdStrategy" TEXT NOT NULL DEFAULT 'checkout_start',
    "totalsMode" TEXT NOT NULL DEFAULT 'sync',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("createdAt", "domain", "holdStrategy", "holdTtlMinutes", "installedAt", "scopes", "uninstalledAt", "updatedAt") SELECT "createdAt", "domain", "holdStrategy", "holdTtlMinutes", "installedAt", "scopes", "uninstalledAt", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "CartTotals_shop_idx" ON "CartTotals"("shop");

