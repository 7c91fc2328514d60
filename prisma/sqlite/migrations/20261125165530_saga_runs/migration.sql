-- CreateTable
CREATE TABLE "SagaRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "saga" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "activeKey" TEXT,
    "input" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "step" INTEGER NOT NULL DEFAULT 0,
    "waitingFor" TEXT,
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

-- CreateTable
CREATE TABLE "SagaStepAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "outcome" TEXT,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "SagaRun_activeKey_key" ON "SagaRun"("activeKey");

-- CreateIndex
CREATE INDEX "SagaRun_state_nextAttemptAt_idx" ON "SagaRun"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "SagaRun_shop_saga_key_idx" ON "SagaRun"("shop", "saga", "key");

-- CreateIndex
CREATE INDEX "SagaStepAttempt_runId_id_idx" ON "SagaStepAttempt"("runId", "id");

-- CreateIndex
CREATE INDEX "SagaStepAttempt_shop_idx" ON "SagaStepAttempt"("shop");

