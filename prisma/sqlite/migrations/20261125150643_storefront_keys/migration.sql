-- CreateTable
CREATE TABLE "StorefrontKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "allowedOrigins" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" DATETIME,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "StorefrontKey_secretHash_key" ON "StorefrontKey"("secretHash");

-- CreateIndex
CREATE INDEX "StorefrontKey_shop_idx" ON "StorefrontKey"("shop");

