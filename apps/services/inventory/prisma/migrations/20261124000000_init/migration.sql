-- CreateTable
CREATE TABLE "StockItem" (
    "productId" TEXT NOT NULL PRIMARY KEY,
    "onHand" INTEGER NOT NULL,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    -- Hand-added (Prisma cannot express CHECK): the database itself refuses to oversell.
    CONSTRAINT "StockItem_no_oversell" CHECK ("reserved" >= 0 AND "onHand" >= 0 AND "reserved" <= "onHand")
);

-- CreateTable
CREATE TABLE "Reservation" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReservationLine" (
    "orderId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    PRIMARY KEY ("orderId", "productId"),
    CONSTRAINT "ReservationLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Reservation" ("orderId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Reservation_status_expiresAt_idx" ON "Reservation"("status", "expiresAt");

