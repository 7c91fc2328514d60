-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "stripeAccountId" TEXT;

