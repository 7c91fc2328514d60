-- CreateTable
CREATE TABLE "StockLevel" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "shopifyAvailable" INTEGER NOT NULL,
    "mirrored" INTEGER NOT NULL DEFAULT 0,
    "held" INTEGER NOT NULL DEFAULT 0,
    "hardHeld" INTEGER NOT NULL DEFAULT 0,
    "shopifyUpdatedAt" TIMESTAMP(3),

    CONSTRAINT "StockLevel_pkey" PRIMARY KEY ("shop","inventoryItemId","locationId")
);

-- CreateTable
CREATE TABLE "Hold" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "ownerType" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "activeOwnerKey" TEXT,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "stateReason" TEXT NOT NULL,
    "lines" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "extendedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Hold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HoldLine" (
    "holdId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "HoldLine_pkey" PRIMARY KEY ("holdId","inventoryItemId","locationId")
);

-- CreateTable
CREATE TABLE "HoldEvent" (
    "id" SERIAL NOT NULL,
    "holdId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HoldEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HoldStrategyOverride" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,

    CONSTRAINT "HoldStrategyOverride_pkey" PRIMARY KEY ("shop","productId")
);

-- CreateTable
CREATE TABLE "ShopifyInventoryMove" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "holdId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "request" TEXT,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "ShopifyInventoryMove_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Hold_activeOwnerKey_key" ON "Hold"("activeOwnerKey");

-- CreateIndex
CREATE INDEX "Hold_state_expiresAt_idx" ON "Hold"("state", "expiresAt");

-- CreateIndex
CREATE INDEX "Hold_shop_ownerType_ownerId_idx" ON "Hold"("shop", "ownerType", "ownerId");

-- CreateIndex
CREATE INDEX "HoldLine_shop_inventoryItemId_locationId_idx" ON "HoldLine"("shop", "inventoryItemId", "locationId");

-- CreateIndex
CREATE INDEX "HoldEvent_holdId_idx" ON "HoldEvent"("holdId");

-- CreateIndex
CREATE INDEX "HoldEvent_shop_idx" ON "HoldEvent"("shop");

-- CreateIndex
CREATE INDEX "ShopifyInventoryMove_state_nextAttemptAt_idx" ON "ShopifyInventoryMove"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ShopifyInventoryMove_shop_holdId_idx" ON "ShopifyInventoryMove"("shop", "holdId");


-- ---------------------------------------------------------------------------------------
-- Added by hand: the hold ledger's guard and triggers (docs/decisions/007-hold-ledger.md).
-- Timestamps are written in UTC, as Prisma writes TIMESTAMP(3) columns.
-- The guard is a trigger rather than CHECK constraints because Prisma's Wasm schema engine
-- (6.19) fails introspecting PostgreSQL CHECK constraints; it raises the same SQLSTATE
-- (23514, check_violation). SQLite uses real CHECK constraints.
CREATE FUNCTION "StockLevel_guard"() RETURNS trigger AS $$
BEGIN
  IF NEW."held" < 0 OR NEW."hardHeld" < 0 OR NEW."hardHeld" > NEW."held" OR NEW."mirrored" < 0 THEN
    RAISE EXCEPTION 'StockLevel (%, %, %) would go negative', NEW."shop", NEW."inventoryItemId", NEW."locationId"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'StockLevel_held_not_negative';
  END IF;
  IF NEW."held" > 0 AND NEW."held" > NEW."shopifyAvailable" + NEW."mirrored" THEN
    RAISE EXCEPTION 'StockLevel (%, %, %) would be over-sold', NEW."shop", NEW."inventoryItemId", NEW."locationId"
      USING ERRCODE = 'check_violation', CONSTRAINT = 'StockLevel_not_oversold';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "StockLevel_guard" BEFORE INSERT OR UPDATE ON "StockLevel"
  FOR EACH ROW EXECUTE FUNCTION "StockLevel_guard"();

-- A hold is one INSERT into "Hold": its lines take stock with one conditional UPDATE each,
-- and a short line aborts the whole statement.
CREATE FUNCTION "Hold_take_lines"() RETURNS trigger AS $$
BEGIN
  -- Bookkeeping first, stock last: a hot stock row stays locked for as little as possible.
  INSERT INTO "HoldEvent" ("holdId", "shop", "fromState", "toState", "reason", "at")
  VALUES (NEW."id", NEW."shop", NULL, NEW."state", NEW."stateReason", NEW."createdAt");
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

CREATE TRIGGER "Hold_take_lines" AFTER INSERT ON "Hold"
  FOR EACH ROW EXECUTE FUNCTION "Hold_take_lines"();

CREATE FUNCTION "HoldLine_take_stock"() RETURNS trigger AS $$
BEGIN
  UPDATE "StockLevel"
     SET "held" = "held" + NEW."quantity",
         "hardHeld" = "hardHeld" + (CASE WHEN NEW."kind" = 'hard' THEN NEW."quantity" ELSE 0 END)
   WHERE "shop" = NEW."shop" AND "inventoryItemId" = NEW."inventoryItemId" AND "locationId" = NEW."locationId"
     AND NEW."quantity" > 0
     AND "held" + NEW."quantity" <= "shopifyAvailable" + "mirrored";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'HOLDFAST_UNAVAILABLE' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "HoldLine_take_stock" BEFORE INSERT ON "HoldLine"
  FOR EACH ROW EXECUTE FUNCTION "HoldLine_take_stock"();

-- Ending a hold gives its stock back; a soft hold becoming hard counts as hard; every change
-- is recorded.
CREATE FUNCTION "Hold_transition"() RETURNS trigger AS $$
DECLARE
  move_action text;
BEGIN
  IF OLD."state" IN ('held', 'extended') AND NEW."state" IN ('committed', 'released', 'expired') THEN
    UPDATE "StockLevel" s
       SET "held" = s."held" - l."quantity",
           "hardHeld" = s."hardHeld" - (CASE WHEN l."kind" = 'hard' THEN l."quantity" ELSE 0 END)
      FROM "HoldLine" l
     WHERE l."holdId" = NEW."id" AND s."shop" = l."shop"
       AND s."inventoryItemId" = l."inventoryItemId" AND s."locationId" = l."locationId";
    IF NEW."kind" = 'hard' THEN
      move_action := CASE WHEN NEW."state" = 'committed' THEN 'commit' ELSE 'unreserve' END;
      INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
      VALUES (NEW."id" || ':' || move_action, NEW."shop", NEW."id", move_action, timezone('UTC', now()), timezone('UTC', now()));
    END IF;
  ELSIF OLD."kind" = 'soft' AND NEW."kind" = 'hard' AND NEW."state" IN ('held', 'extended') THEN
    UPDATE "HoldLine" SET "kind" = 'hard' WHERE "holdId" = NEW."id";
    UPDATE "StockLevel" s
       SET "hardHeld" = s."hardHeld" + l."quantity"
      FROM "HoldLine" l
     WHERE l."holdId" = NEW."id" AND s."shop" = l."shop"
       AND s."inventoryItemId" = l."inventoryItemId" AND s."locationId" = l."locationId";
    INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
    VALUES (NEW."id" || ':reserve', NEW."shop", NEW."id", 'reserve', timezone('UTC', now()), timezone('UTC', now()));
  END IF;
  IF OLD."state" IS DISTINCT FROM NEW."state" OR OLD."kind" IS DISTINCT FROM NEW."kind" OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt" THEN
    INSERT INTO "HoldEvent" ("holdId", "shop", "fromState", "toState", "reason", "at")
    VALUES (NEW."id", NEW."shop", OLD."state", NEW."state", NEW."stateReason", timezone('UTC', now()));
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Hold_transition" AFTER UPDATE ON "Hold"
  FOR EACH ROW EXECUTE FUNCTION "Hold_transition"();

-- Places a hold in one round trip without raising "not available" to the client: an error
-- there would cost a connection (pg's pool discards a client whose query failed). The
-- EXCEPTION block rolls back every line the insert took before the short one. Returns NULL
-- when the hold was placed, or each line's available quantity when it was not.
CREATE FUNCTION "Hold_place"(
  p_id text, p_shop text, p_owner_type text, p_owner_id text, p_kind text, p_lines text,
  p_expires_at timestamp(3), p_created_at timestamp(3)
) RETURNS jsonb AS $$
BEGIN
  INSERT INTO "Hold" ("id", "shop", "ownerType", "ownerId", "activeOwnerKey", "kind", "state", "stateReason", "lines", "expiresAt", "createdAt")
  VALUES (p_id, p_shop, p_owner_type, p_owner_id, p_shop || '|' || p_owner_type || '|' || p_owner_id, p_kind, 'held', 'created', p_lines, p_expires_at, p_created_at);
  RETURN NULL;
EXCEPTION WHEN raise_exception THEN
  IF SQLERRM <> 'HOLDFAST_UNAVAILABLE' THEN
    RAISE;
  END IF;
  RETURN (
    SELECT jsonb_agg(jsonb_build_object(
             'inventoryItemId', l->>'inventoryItemId', 'locationId', l->>'locationId', 'quantity', (l->>'quantity')::int,
             'available', GREATEST(0, COALESCE(s."shopifyAvailable" + s."mirrored" - s."held", 0)),
             'softHeld', COALESCE(s."held" - s."hardHeld", 0)) ORDER BY o)
      FROM jsonb_array_elements(p_lines::jsonb) WITH ORDINALITY AS j(l, o)
      LEFT JOIN "StockLevel" s ON s."shop" = p_shop AND s."inventoryItemId" = l->>'inventoryItemId' AND s."locationId" = l->>'locationId'
  );
END
$$ LANGUAGE plpgsql;
