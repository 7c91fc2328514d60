-- Places a hold in one round trip. Returns NULL when the hold was placed, or each line's
-- available quantity when a line is already short as the statement starts: that refusal
-- writes and locks nothing, and raises nothing (pg's pool discards a client whose query
-- failed, ~5 ms). The check only ever refuses: a hold is placed only by the conditional
-- UPDATE in the HoldLine trigger, which aborts the whole insert when a line is short.
CREATE OR REPLACE FUNCTION "Hold_place"(
  p_id text, p_shop text, p_owner_type text, p_owner_id text, p_kind text, p_lines text,
  p_expires_at timestamp(3), p_created_at timestamp(3)
) RETURNS jsonb AS $$
DECLARE
  line record;
BEGIN
  -- One indexed lookup per line (a loop keeps the plan on the primary key whatever the table's size).
  FOR line IN SELECT l->>'inventoryItemId' AS item, l->>'locationId' AS loc, (l->>'quantity')::int AS q FROM jsonb_array_elements(p_lines::jsonb) AS l LOOP
    PERFORM 1 FROM "StockLevel" s
     WHERE s."shop" = p_shop AND s."inventoryItemId" = line.item AND s."locationId" = line.loc
       AND s."held" + line.q <= s."shopifyAvailable" + s."mirrored";
    IF NOT FOUND THEN
      RETURN "Hold_availability"(p_shop, p_lines);
    END IF;
  END LOOP;
  -- No EXCEPTION block (a subtransaction on every hold): a line taken by another shopper between
  -- the check and the insert makes the trigger abort the statement, rarely; the client then
  -- reads the availability itself.
  INSERT INTO "Hold" ("id", "shop", "ownerType", "ownerId", "activeOwnerKey", "kind", "state", "stateReason", "lines", "expiresAt", "createdAt")
  VALUES (p_id, p_shop, p_owner_type, p_owner_id, p_shop || '|' || p_owner_type || '|' || p_owner_id, p_kind, 'held', 'created', p_lines, p_expires_at, p_created_at);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Each line with what is available now and how much soft holds take.
CREATE FUNCTION "Hold_availability"(p_shop text, p_lines text) RETURNS jsonb AS $$
  SELECT jsonb_agg(jsonb_build_object(
           'inventoryItemId', l->>'inventoryItemId', 'locationId', l->>'locationId', 'quantity', (l->>'quantity')::int,
           'available', GREATEST(0, COALESCE(s."shopifyAvailable" + s."mirrored" - s."held", 0)),
           'softHeld', COALESCE(s."held" - s."hardHeld", 0)) ORDER BY o)
    FROM jsonb_array_elements(p_lines::jsonb) WITH ORDINALITY AS j(l, o)
    LEFT JOIN LATERAL (
      SELECT * FROM "StockLevel" x WHERE x."shop" = p_shop AND x."inventoryItemId" = l->>'inventoryItemId' AND x."locationId" = l->>'locationId'
    ) s ON true
$$ LANGUAGE sql STABLE;
