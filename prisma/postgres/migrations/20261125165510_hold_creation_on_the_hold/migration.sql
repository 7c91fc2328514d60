-- A hold's creation is recorded by the Hold row itself (state, reason, createdAt); history()
-- starts from it. One insert (and two index entries) fewer on every hold.
CREATE OR REPLACE FUNCTION "Hold_take_lines"() RETURNS trigger AS $$
BEGIN
  -- Bookkeeping first, stock last: a hot stock row stays locked for as little as possible.
  IF NEW."kind" = 'hard' THEN
    INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
    VALUES (NEW."id" || ':reserve', NEW."shop", NEW."id", 'reserve', NEW."createdAt", NEW."createdAt");
  END IF;
  INSERT INTO "HoldLine" ("holdId", "shop", "inventoryItemId", "locationId", "quantity", "kind")
  SELECT NEW."id", NEW."shop", l->>'inventoryItemId', l->>'locationId', (l->>'quantity')::int, NEW."kind"
  FROM jsonb_array_elements(NEW."lines"::jsonb) AS l;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
