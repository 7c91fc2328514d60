-- Holds for Shopify's own checkout are not moved to Shopify's `reserved` (decision 021): the
-- holder must still be able to buy them, and Shopify sells only `available`. A hard hold's
-- reserve, and its move back when it ends, now follow the hold's own "shopifyReserve" flag;
-- holds written before it were all mirrored (the default).

-- AlterTable (by hand: Prisma would rebuild the table, which drops its triggers)
ALTER TABLE "Hold" ADD COLUMN "shopifyReserve" BOOLEAN NOT NULL DEFAULT true;

DROP TRIGGER "Hold_give_back";
DROP TRIGGER "Hold_harden";

-- Ending a hold gives its lines' stock back and, for a mirrored hard hold whose reserve is in
-- the outbox, queues the move back; a reserve never queued is simply no longer needed.
CREATE TRIGGER "Hold_give_back" AFTER UPDATE OF "state" ON "Hold"
WHEN OLD."state" IN ('held', 'extended') AND NEW."state" IN ('committed', 'released', 'expired')
BEGIN
  UPDATE "StockLevel"
     SET "held" = "held" - l."quantity",
         "hardHeld" = "hardHeld" - (CASE WHEN OLD."kind" = 'hard' THEN l."quantity" ELSE 0 END)
    FROM (SELECT json_extract(value, '$.inventoryItemId') AS "inventoryItemId", json_extract(value, '$.locationId') AS "locationId",
                 json_extract(value, '$.quantity') AS "quantity"
            FROM json_each(NEW."lines")) AS l
   WHERE ("StockLevel"."shop", "StockLevel"."inventoryItemId", "StockLevel"."locationId") IN
           (SELECT NEW."shop", json_extract(value, '$.inventoryItemId'), json_extract(value, '$.locationId') FROM json_each(NEW."lines"))
     AND "StockLevel"."inventoryItemId" = l."inventoryItemId" AND "StockLevel"."locationId" = l."locationId";
  INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
  SELECT NEW."id" || ':' || (CASE WHEN NEW."state" = 'committed' THEN 'commit' ELSE 'unreserve' END), NEW."shop", NEW."id",
         CASE WHEN NEW."state" = 'committed' THEN 'commit' ELSE 'unreserve' END,
         strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
  WHERE OLD."kind" = 'hard' AND OLD."shopifyReserve" AND NOT OLD."reservePending";
  UPDATE "Hold" SET "reservePending" = false WHERE "id" = NEW."id" AND "reservePending";
END;

-- A soft hold becoming hard (hybrid strategy at checkout start) counts its lines as hard and,
-- when the hold is mirrored, needs its reserve in Shopify.
CREATE TRIGGER "Hold_harden" AFTER UPDATE OF "kind" ON "Hold"
WHEN OLD."kind" = 'soft' AND NEW."kind" = 'hard' AND NEW."state" IN ('held', 'extended')
BEGIN
  UPDATE "StockLevel"
     SET "hardHeld" = "hardHeld" + l."quantity"
    FROM (SELECT json_extract(value, '$.inventoryItemId') AS "inventoryItemId", json_extract(value, '$.locationId') AS "locationId",
                 json_extract(value, '$.quantity') AS "quantity"
            FROM json_each(NEW."lines")) AS l
   WHERE ("StockLevel"."shop", "StockLevel"."inventoryItemId", "StockLevel"."locationId") IN
           (SELECT NEW."shop", json_extract(value, '$.inventoryItemId'), json_extract(value, '$.locationId') FROM json_each(NEW."lines"))
     AND "StockLevel"."inventoryItemId" = l."inventoryItemId" AND "StockLevel"."locationId" = l."locationId";
  UPDATE "Hold" SET "reservePending" = NEW."shopifyReserve" WHERE "id" = NEW."id";
END;
