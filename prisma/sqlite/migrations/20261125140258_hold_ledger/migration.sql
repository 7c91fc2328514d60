-- CreateTable
CREATE TABLE "StockLevel" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "shopifyAvailable" INTEGER NOT NULL,
    "mirrored" INTEGER NOT NULL DEFAULT 0,
    "held" INTEGER NOT NULL DEFAULT 0,
    "hardHeld" INTEGER NOT NULL DEFAULT 0,
    "shopifyUpdatedAt" DATETIME,

    PRIMARY KEY ("shop", "inventoryItemId", "locationId"),
    -- Added by hand (Prisma does not model CHECK): no negative and no over-sold row.
    CONSTRAINT "StockLevel_held_not_negative" CHECK ("held" >= 0 AND "hardHeld" >= 0 AND "hardHeld" <= "held"),
    CONSTRAINT "StockLevel_mirrored_not_negative" CHECK ("mirrored" >= 0),
    CONSTRAINT "StockLevel_not_oversold" CHECK ("held" = 0 OR "held" <= "shopifyAvailable" + "mirrored")
);

-- CreateTable
CREATE TABLE "Hold" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "ownerType" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "activeOwnerKey" TEXT,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "stateReason" TEXT NOT NULL,
    "lines" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "extendedAt" DATETIME,
    "endedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "HoldLine" (
    "holdId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,

    PRIMARY KEY ("holdId", "inventoryItemId", "locationId")
);

-- CreateTable
CREATE TABLE "HoldEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "holdId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "HoldStrategyOverride" (
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,

    PRIMARY KEY ("shop", "productId")
);

-- CreateTable
CREATE TABLE "ShopifyInventoryMove" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "holdId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "request" TEXT,
    "generation" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME
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
-- Added by hand: the hold ledger's triggers (docs/decisions/007-hold-ledger.md).
-- A hold is one INSERT into "Hold"; these triggers take the stock, line by line, with one
-- conditional UPDATE each, and abort the whole statement when a line is short. Ending a
-- hold gives its stock back in the same statement. Each change is recorded in "HoldEvent",
-- and hard holds queue their Shopify inventory move in the same statement (the outbox).

CREATE TRIGGER "Hold_take_lines" AFTER INSERT ON "Hold"
BEGIN
  INSERT INTO "HoldLine" ("holdId", "shop", "inventoryItemId", "locationId", "quantity", "kind")
  SELECT NEW."id", NEW."shop", json_extract(value, '$.inventoryItemId'), json_extract(value, '$.locationId'),
         json_extract(value, '$.quantity'), NEW."kind"
  FROM json_each(NEW."lines");
  INSERT INTO "HoldEvent" ("holdId", "shop", "fromState", "toState", "reason", "at")
  VALUES (NEW."id", NEW."shop", NULL, NEW."state", NEW."stateReason", NEW."createdAt");
  INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
  SELECT NEW."id" || ':reserve', NEW."shop", NEW."id", 'reserve', NEW."createdAt", NEW."createdAt" WHERE NEW."kind" = 'hard';
END;

CREATE TRIGGER "HoldLine_take_stock" BEFORE INSERT ON "HoldLine"
BEGIN
  UPDATE "StockLevel"
     SET "held" = "held" + NEW."quantity",
         "hardHeld" = "hardHeld" + (CASE WHEN NEW."kind" = 'hard' THEN NEW."quantity" ELSE 0 END)
   WHERE "shop" = NEW."shop" AND "inventoryItemId" = NEW."inventoryItemId" AND "locationId" = NEW."locationId"
     AND NEW."quantity" > 0
     AND "held" + NEW."quantity" <= "shopifyAvailable" + "mirrored";
  SELECT RAISE(ABORT, 'HOLDFAST_UNAVAILABLE') WHERE changes() = 0;
END;

CREATE TRIGGER "Hold_give_back" AFTER UPDATE OF "state" ON "Hold"
WHEN OLD."state" IN ('held', 'extended') AND NEW."state" IN ('committed', 'released', 'expired')
BEGIN
  UPDATE "StockLevel"
     SET "held" = "held" - l."quantity",
         "hardHeld" = "hardHeld" - (CASE WHEN l."kind" = 'hard' THEN l."quantity" ELSE 0 END)
    FROM "HoldLine" l
   WHERE l."holdId" = NEW."id" AND "StockLevel"."shop" = l."shop"
     AND "StockLevel"."inventoryItemId" = l."inventoryItemId" AND "StockLevel"."locationId" = l."locationId";
  INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
  SELECT NEW."id" || ':' || (CASE WHEN NEW."state" = 'committed' THEN 'commit' ELSE 'unreserve' END), NEW."shop", NEW."id",
         CASE WHEN NEW."state" = 'committed' THEN 'commit' ELSE 'unreserve' END,
         strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
  WHERE NEW."kind" = 'hard';
END;

-- A soft hold becoming hard (hybrid strategy at checkout start) counts its lines as hard.
CREATE TRIGGER "Hold_harden" AFTER UPDATE OF "kind" ON "Hold"
WHEN OLD."kind" = 'soft' AND NEW."kind" = 'hard' AND NEW."state" IN ('held', 'extended')
BEGIN
  UPDATE "HoldLine" SET "kind" = 'hard' WHERE "holdId" = NEW."id";
  UPDATE "StockLevel"
     SET "hardHeld" = "hardHeld" + l."quantity"
    FROM "HoldLine" l
   WHERE l."holdId" = NEW."id" AND "StockLevel"."shop" = l."shop"
     AND "StockLevel"."inventoryItemId" = l."inventoryItemId" AND "StockLevel"."locationId" = l."locationId";
  INSERT INTO "ShopifyInventoryMove" ("id", "shop", "holdId", "action", "nextAttemptAt", "createdAt")
  VALUES (NEW."id" || ':reserve', NEW."shop", NEW."id", 'reserve',
          strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;

CREATE TRIGGER "Hold_record_transition" AFTER UPDATE OF "state", "kind", "expiresAt" ON "Hold"
WHEN OLD."state" IS NOT NEW."state" OR OLD."kind" IS NOT NEW."kind" OR OLD."expiresAt" IS NOT NEW."expiresAt"
BEGIN
  INSERT INTO "HoldEvent" ("holdId", "shop", "fromState", "toState", "reason", "at")
  VALUES (NEW."id", NEW."shop", OLD."state", NEW."state", NEW."stateReason", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
