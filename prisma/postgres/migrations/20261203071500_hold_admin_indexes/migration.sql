-- The admin's list of holds (issue 14): newest first, all or by state, a page at a time.

-- CreateIndex
CREATE INDEX "Hold_shop_createdAt_id_idx" ON "Hold"("shop", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Hold_shop_state_createdAt_idx" ON "Hold"("shop", "state", "createdAt");
