-- AlterTable
ALTER TABLE "Payment" ADD COLUMN "leaseExpiresAt" DATETIME;
ALTER TABLE "Payment" ADD COLUMN "leaseOwner" TEXT;

-- CreateIndex
CREATE INDEX "Payment_status_leaseExpiresAt_idx" ON "Payment"("status", "leaseExpiresAt");

