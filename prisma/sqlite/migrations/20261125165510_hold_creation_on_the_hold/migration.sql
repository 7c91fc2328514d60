-- A hold's creation is recorded by the Hold row itself (state, reason, createdAt); history()
-- starts from it. One insert (and two index entries) fewer on every hold.
DROP TRIGGER "Hold_take_lines";

CREATE TRIGGER "Hold_take_lines" AFTER INSERT ON "Hold"
BEGIN
  INSERT INTO "HoldLine" ("holdId", "shop", "inventoryItemId", "locationId", "quantity", "kind")
  SELECT NEW."id", NEW."shop", json_extract(value, '$.inventoryItemId'), json_extract(value, '$.locationId'),
         json_extract(value, '$.quantity'), NEW."kind"
  FROM json_each(NEW."lines");
  INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
  SELECT NEW."id" || ':reserve', NEW."shop", NEW."id", 'reserve', NEW."createdAt", NEW."createdAt" WHERE NEW."kind" = 'hard';
END;
