-- AlterTable
ALTER TABLE "EmailMessage" ADD COLUMN "claimedBy" TEXT;
ALTER TABLE "EmailMessage" ADD COLUMN "leaseExpiresAt" DATETIME;

-- CreateIndex
CREATE INDEX "EmailMessage_status_leaseExpiresAt_idx" ON "EmailMessage"("status", "leaseExpiresAt");

