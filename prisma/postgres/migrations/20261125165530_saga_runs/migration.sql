-- CreateTable
CREATE TABLE "SagaRun" (
    "id" TEXT NOT NULL,
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
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "SagaRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SagaStepAttempt" (
    "id" SERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "outcome" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "SagaStepAttempt_pkey" PRIMARY KEY ("id")
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

