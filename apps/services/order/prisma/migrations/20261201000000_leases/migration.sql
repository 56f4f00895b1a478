-- AlterTable
ALTER TABLE "Order" ADD COLUMN "leaseExpiresAt" DATETIME;
ALTER TABLE "Order" ADD COLUMN "leaseOwner" TEXT;

-- AlterTable
ALTER TABLE "OrderOutbox" ADD COLUMN "leaseOwner" TEXT;

-- CreateIndex
CREATE INDEX "Order_status_leaseExpiresAt_idx" ON "Order"("status", "leaseExpiresAt");


-- Sagas left unfinished before leases existed: their lease ran out at their last step.
UPDATE "Order" SET "leaseExpiresAt" = "updatedAt" WHERE "status" IN ('reserving', 'charging', 'committing');
