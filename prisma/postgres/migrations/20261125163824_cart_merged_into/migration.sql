-- AlterTable
ALTER TABLE "Cart" ADD COLUMN     "mergedIntoId" TEXT;

