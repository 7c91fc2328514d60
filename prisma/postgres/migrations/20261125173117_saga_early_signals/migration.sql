-- AlterTable
ALTER TABLE "SagaRun" ADD COLUMN     "signals" TEXT NOT NULL DEFAULT '{}';

