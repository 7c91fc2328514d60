-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "rateProviderUrl" TEXT;

