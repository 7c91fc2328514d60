-- A hold writes two rows, not four (docs/decisions/017-hold-two-rows.md): its lines stay on the
-- Hold row as JSON (no HoldLine rows), and a hard hold's Shopify reserve is queued by the Hold
-- row itself (reservePending) until the mirror worker puts it in the outbox. Lines already on
-- active holds are in their JSON, so nothing is lost with HoldLine.

-- AlterTable
ALTER TABLE "Hold" ADD COLUMN     "reservePending" BOOLEAN NOT NULL DEFAULT false;

-- DropTable
DROP TABLE "HoldLine";
DROP FUNCTION "HoldLine_take_stock"();

-- CreateIndex
CREATE INDEX "Hold_reservePending_createdAt_idx" ON "Hold"("reservePending", "createdAt");

-- A hold takes each line's stock with one conditional UPDATE, in the lines' order (every hold
-- locks rows in the same order), before its row is written. When a line is short, the lines
-- already taken are given back and the row is not inserted: the INSERT reports 0 rows, with
-- no error. An error would abort the whole statement, and with it every other hold placed by
-- the same statement (holds arriving together are placed by one INSERT, decision 017), and pg's
-- pool discards a client whose query failed.
DROP TRIGGER "Hold_take_lines" ON "Hold";
DROP FUNCTION "Hold_take_lines"();
DROP FUNCTION "Hold_place"(text, text, text, text, text, text, timestamp(3), timestamp(3));

CREATE FUNCTION "Hold_take_stock"() RETURNS trigger AS $$
DECLARE
  line record;
  hard boolean := NEW."kind" = 'hard';
  taken_items text[] := '{}';
  taken_locations text[] := '{}';
  taken_quantities int[] := '{}';
BEGIN
  FOR line IN SELECT l->>'inventoryItemId' AS item, l->>'locationId' AS loc, (l->>'quantity')::int AS q
                FROM jsonb_array_elements(NEW."lines"::jsonb) AS l LOOP
    UPDATE "StockLevel"
       SET "held" = "held" + line.q,
           "hardHeld" = "hardHeld" + (CASE WHEN hard THEN line.q ELSE 0 END)
     WHERE "shop" = NEW."shop" AND "inventoryItemId" = line.item AND "locationId" = line.loc
       AND line.q > 0
       AND "held" + line.q <= "shopifyAvailable" + "mirrored";
    IF NOT FOUND THEN
      -- Give back what this hold took (rows this transaction holds locked): nothing stays taken.
      FOR i IN 1 .. coalesce(array_length(taken_items, 1), 0) LOOP
        UPDATE "StockLevel"
           SET "held" = "held" - taken_quantities[i],
               "hardHeld" = "hardHeld" - (CASE WHEN hard THEN taken_quantities[i] ELSE 0 END)
         WHERE "shop" = NEW."shop" AND "inventoryItemId" = taken_items[i] AND "locationId" = taken_locations[i];
      END LOOP;
      RETURN NULL;
    END IF;
    taken_items := taken_items || line.item;
    taken_locations := taken_locations || line.loc;
    taken_quantities := taken_quantities || line.q;
  END LOOP;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Hold_take_stock" BEFORE INSERT ON "Hold"
  FOR EACH ROW EXECUTE FUNCTION "Hold_take_stock"();

-- The hold's reserve flag follows its life: set when a soft hold becomes hard, cleared when the
-- hold ends (a reserve never queued is no longer needed). A BEFORE trigger, so the flag changes
-- in the same row version and the AFTER trigger sees what it was.
CREATE FUNCTION "Hold_reserve_flag"() RETURNS trigger AS $$
BEGIN
  IF OLD."state" IN ('held', 'extended') AND NEW."state" IN ('committed', 'released', 'expired') THEN
    NEW."reservePending" := false;
  ELSIF OLD."kind" = 'soft' AND NEW."kind" = 'hard' AND NEW."state" IN ('held', 'extended') THEN
    NEW."reservePending" := true;
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Hold_reserve_flag" BEFORE UPDATE ON "Hold"
  FOR EACH ROW EXECUTE FUNCTION "Hold_reserve_flag"();

-- Ending a hold gives its lines' stock back and, for a hard hold whose reserve is in the outbox,
-- queues the move back; a soft hold becoming hard counts its lines as hard. Every change is
-- recorded.
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
    IF OLD."kind" = 'hard' AND NOT OLD."reservePending" THEN
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
