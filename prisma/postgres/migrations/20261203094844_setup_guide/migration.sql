-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "setupDismissedAt" TIMESTAMP(3),
ADD COLUMN     "setupProgress" TEXT NOT NULL DEFAULT '{}';

