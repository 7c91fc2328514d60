-- CreateTable
CREATE TABLE "TaxRule" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "province" TEXT NOT NULL DEFAULT '',
    "basisPoints" INTEGER NOT NULL,
    "shipping" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TaxRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TaxRule_shop_country_province_key" ON "TaxRule"("shop", "country", "province");

