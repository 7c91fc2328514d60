-- CreateTable
CREATE TABLE "JobBeat" (
    "instance" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "everyMs" INTEGER NOT NULL,
    "lastOkAt" DATETIME,
    "lastErrorAt" DATETIME,
    "lastError" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("instance", "job")
);

