-- CreateTable
CREATE TABLE "ItemRefusal" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ItemRefusal_pkey" PRIMARY KEY ("shop","inventoryItemId")
);

