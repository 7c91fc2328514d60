-- DropIndex
DROP INDEX "Hold_shop_ownerType_ownerId_idx";

