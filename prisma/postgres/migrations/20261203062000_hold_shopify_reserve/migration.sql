-- Holds for Shopify's own checkout are not moved to Shopify's `reserved` (decision 021): the
-- holder must still be able to buy them, and Shopify sells only `available`. A hard hold's
-- reserve, and its move back when it ends, now follow the hold's own "shopifyReserve" flag;
-- holds written before it were all mirrored (the default).

-- AlterTable
ALTER TABLE "Hold" ADD COLUMN     "shopifyReserve" BOOLEAN NOT NULL DEFAULT true;

CREATE OR REPLACE FUNCTION "Hold_reserve_flag"() RETURNS trigger AS $$
BEGIN
  IF OLD."state" IN ('held', 'extended') AND NEW."state" IN ('committed', 'released', 'expired') THEN
    NEW."reservePending" := false;
  ELSIF OLD."kind" = 'soft' AND NEW."kind" = 'hard' AND NEW."state" IN ('held', 'extended') THEN
    NEW."reservePending" := NEW."shopifyReserve";
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION "Hold_transition"() RETURNS trigger AS $$
DECLARE
  move_action text;
BEGIN
  IF OLD."state" IN ('held', 'extended') AND NEW."state" IN ('committed', 'released', 'expired') THEN
    UPDATE "StockLevel" s
       SET "held" = s."held" - l."quantity",
           "hardHeld" = s."hardHeld" - (CASE WHEN OLD."kind" = 'hard' THEN l."quantity" ELSE 0 END)
      FROM jsonb_to_recordset(NEW."lines"::jsonb) AS l("inventoryItemId" text, "locationId" text, "quantity" int)
     WHERE s."shop" = NEW."shop" AND s."inventoryItemId" = l."inventoryItemId" AND s."locationId" = l."locationId";
    IF OLD."kind" = 'hard' AND OLD."shopifyReserve" AND NOT OLD."reservePending" THEN
      move_action := CASE WHEN NEW."state" = 'committed' THEN 'commit' ELSE 'unreserve' END;
      INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
      VALUES (NEW."id" || ':' || move_action, NEW."shop", NEW."id", move_action, timezone('UTC', now()), timezone('UTC', now()));
    END IF;
  ELSIF OLD."kind" = 'soft' AND NEW."kind" = 'hard' AND NEW."state" IN ('held', 'extended') THEN
    UPDATE "StockLevel" s
       SET "hardHeld" = s."hardHeld" + l."quantity"
      FROM jsonb_to_recordset(NEW."lines"::jsonb) AS l("inventoryItemId" text, "locationId" text, "quantity" int)
     WHERE s."shop" = NEW."shop" AND s."inventoryItemId" = l."inventoryItemId" AND s."locationId" = l."locationId";
  END IF;
  IF OLD."state" IS DISTINCT FROM NEW."state" OR OLD."kind" IS DISTINCT FROM NEW."kind" OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt" THEN
    INSERT INTO "HoldEvent" ("holdId", "shop", "fromState", "toState", "reason", "at")
    VALUES (NEW."id", NEW."shop", OLD."state", NEW."state", NEW."stateReason", timezone('UTC', now()));
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
