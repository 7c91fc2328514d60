-- CreateTable
CREATE TABLE "StripeEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "account" TEXT,
    "shop" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME,
    "outcome" TEXT
);

-- CreateIndex
CREATE INDEX "StripeEvent_shop_idx" ON "StripeEvent"("shop");

