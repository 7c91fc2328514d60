-- The setup guide's saved progress (issue 14). Added in place: redefining "Shop" is not needed.
ALTER TABLE "Shop" ADD COLUMN "setupProgress" TEXT NOT NULL DEFAULT '{}';
ALTER TABLE "Shop" ADD COLUMN "setupDismissedAt" DATETIME;
