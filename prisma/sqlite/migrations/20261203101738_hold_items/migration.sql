-- CreateTable
CREATE TABLE "HoldItem" (
    "holdId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("holdId", "inventoryItemId"),
    CONSTRAINT "HoldItem_holdId_fkey" FOREIGN KEY ("holdId") REFERENCES "Hold" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);



-- Each new hold's items, from its lines (a line's item at two locations is one row).
CREATE TRIGGER "Hold_items" AFTER INSERT ON "Hold"
BEGIN
  INSERT OR IGNORE INTO "HoldItem" ("holdId", "shop", "inventoryItemId", "createdAt")
  SELECT NEW."id", NEW."shop", json_extract(value, '$.inventoryItemId'), NEW."createdAt" FROM json_each(NEW."lines");
END;

-- The holds already there.
INSERT OR IGNORE INTO "HoldItem" ("holdId", "shop", "inventoryItemId", "createdAt")
SELECT h."id", h."shop", json_extract(l.value, '$.inventoryItemId'), h."createdAt" FROM "Hold" AS h, json_each(h."lines") AS l;
