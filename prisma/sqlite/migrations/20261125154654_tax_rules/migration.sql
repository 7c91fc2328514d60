-- CreateTable
CREATE TABLE "TaxRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "province" TEXT NOT NULL DEFAULT '',
    "basisPoints" INTEGER NOT NULL,
    "shipping" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "TaxRule_shop_country_province_key" ON "TaxRule"("shop", "country", "province");

