-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "checkoutRequiresPhone" BOOLEAN NOT NULL DEFAULT false;

