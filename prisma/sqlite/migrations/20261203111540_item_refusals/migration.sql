-- CreateTable
CREATE TABLE "ItemRefusal" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "lastAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "inventoryItemId")
);

