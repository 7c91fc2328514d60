-- CreateTable
CREATE TABLE "HoldItem" (
    "holdId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HoldItem_pkey" PRIMARY KEY ("holdId","inventoryItemId")
);


-- AddForeignKey
ALTER TABLE "HoldItem" ADD CONSTRAINT "HoldItem_holdId_fkey" FOREIGN KEY ("holdId") REFERENCES "Hold"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Each new hold's items, from its lines (a line's item at two locations is one row).
CREATE FUNCTION "Hold_items"() RETURNS trigger AS $$
BEGIN
  INSERT INTO "HoldItem" ("holdId", "shop", "inventoryItemId", "createdAt")
  SELECT NEW."id", NEW."shop", l->>'inventoryItemId', NEW."createdAt" FROM jsonb_array_elements(NEW."lines"::jsonb) AS l
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Hold_items" AFTER INSERT ON "Hold"
  FOR EACH ROW EXECUTE FUNCTION "Hold_items"();

-- The holds already there.
INSERT INTO "HoldItem" ("holdId", "shop", "inventoryItemId", "createdAt")
SELECT h."id", h."shop", l->>'inventoryItemId', h."createdAt" FROM "Hold" AS h, jsonb_array_elements(h."lines"::jsonb) AS l
ON CONFLICT DO NOTHING;
