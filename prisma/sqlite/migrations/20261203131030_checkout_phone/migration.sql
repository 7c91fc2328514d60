-- Holdfast's checkout page asks for a phone number only when the shop requires one.
-- (ALTER TABLE, not a table rebuild: Shop has triggers that a rebuild would drop.)
ALTER TABLE "Shop" ADD COLUMN "checkoutRequiresPhone" BOOLEAN NOT NULL DEFAULT false;
