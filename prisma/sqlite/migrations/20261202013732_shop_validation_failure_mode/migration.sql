-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "validationBlockOnFailure" BOOLEAN NOT NULL DEFAULT false;
