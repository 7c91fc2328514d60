-- A hold writes two rows, not four (docs/decisions/017-hold-two-rows.md): its lines stay on the
-- Hold row as JSON (no HoldLine rows), and a hard hold's Shopify reserve is queued by the Hold
-- row itself (reservePending) until the mirror worker puts it in the outbox. Lines already on
-- active holds are in their JSON, so nothing is lost with HoldLine.
DROP TRIGGER "Hold_take_lines";
DROP TRIGGER "HoldLine_take_stock";
DROP TRIGGER "Hold_give_back";
DROP TRIGGER "Hold_harden";

-- DropIndex
DROP INDEX "HoldLine_shop_inventoryItemId_locationId_idx";

-- DropTable
DROP TABLE "HoldLine";

-- AlterTable (by hand: Prisma would rebuild the table, which drops its triggers)
ALTER TABLE "Hold" ADD COLUMN "reservePending" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Hold_reservePending_createdAt_idx" ON "Hold"("reservePending", "createdAt");

-- The stock rows are found through the IN list, one primary-key search per line (joined only
-- with the lines, SQLite's planner would scan every stock row of the shop).
--
-- A hold takes each line's stock with one conditional UPDATE, before the row is written; when a
-- line is short the statement aborts and nothing stays taken. (SQLite has one writer, so the
-- order of rows written inside the statement does not keep anyone waiting.)
CREATE TRIGGER "Hold_take_stock" BEFORE INSERT ON "Hold"
BEGIN
  UPDATE "StockLevel"
     SET "held" = "held" + l."quantity",
         "hardHeld" = "hardHeld" + (CASE WHEN NEW."kind" = 'hard' THEN l."quantity" ELSE 0 END)
    FROM (SELECT json_extract(value, '$.inventoryItemId') AS "inventoryItemId", json_extract(value, '$.locationId') AS "locationId",
                 json_extract(value, '$.quantity') AS "quantity"
            FROM json_each(NEW."lines")) AS l
   WHERE ("StockLevel"."shop", "StockLevel"."inventoryItemId", "StockLevel"."locationId") IN
           (SELECT NEW."shop", json_extract(value, '$.inventoryItemId'), json_extract(value, '$.locationId') FROM json_each(NEW."lines"))
     AND "StockLevel"."inventoryItemId" = l."inventoryItemId" AND "StockLevel"."locationId" = l."locationId"
     AND l."quantity" > 0
     AND "StockLevel"."held" + l."quantity" <= "StockLevel"."shopifyAvailable" + "StockLevel"."mirrored";
  -- Every line took its stock, or none stays taken (a line named twice counts as short).
  SELECT RAISE(ABORT, 'HOLDFAST_UNAVAILABLE') WHERE changes() <> json_array_length(NEW."lines");
END;

-- Ending a hold gives its lines' stock back and, for a hard hold whose reserve is in the
-- outbox, queues the move back; a reserve never queued is simply no longer needed.
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
  WHERE OLD."kind" = 'hard' AND NOT OLD."reservePending";
  UPDATE "Hold" SET "reservePending" = false WHERE "id" = NEW."id" AND "reservePending";
END;

-- A soft hold becoming hard (hybrid strategy at checkout start) counts its lines as hard and
-- needs its reserve in Shopify.
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
  UPDATE "Hold" SET "reservePending" = true WHERE "id" = NEW."id";
END;
