-- CreateTable
CREATE TABLE "SignUpAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientKey" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SignUpAttempt_clientKey_at_idx" ON "SignUpAttempt"("clientKey", "at");
