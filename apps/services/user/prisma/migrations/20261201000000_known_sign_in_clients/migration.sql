-- CreateTable
CREATE TABLE "KnownSignInClient" (
    "email" TEXT NOT NULL,
    "clientKey" TEXT NOT NULL,
    "lastAt" DATETIME NOT NULL,

    PRIMARY KEY ("email", "clientKey")
);
