-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SagaRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "saga" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "activeKey" TEXT,
    "input" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "waitingFor" TEXT,
    "signals" TEXT NOT NULL DEFAULT '{}',
    "results" TEXT NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "failedStep" TEXT,
    "error" TEXT,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "endedAt" DATETIME
);
INSERT INTO "new_SagaRun" ("activeKey", "attempts", "createdAt", "endedAt", "error", "failedStep", "id", "input", "key", "leaseOwner", "leaseUntil", "nextAttemptAt", "results", "saga", "shop", "state", "step", "updatedAt", "waitingFor") SELECT "activeKey", "attempts", "createdAt", "endedAt", "error", "failedStep", "id", "input", "key", "leaseOwner", "leaseUntil", "nextAttemptAt", "results", "saga", "shop", "state", "step", "updatedAt", "waitingFor" FROM "SagaRun";
DROP TABLE "SagaRun";
ALTER TABLE "new_SagaRun" RENAME TO "SagaRun";
CREATE UNIQUE INDEX "SagaRun_activeKey_key" ON "SagaRun"("activeKey");
CREATE INDEX "SagaRun_state_nextAttemptAt_idx" ON "SagaRun"("state", "nextAttemptAt");
CREATE INDEX "SagaRun_shop_saga_key_idx" ON "SagaRun"("shop", "saga", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

