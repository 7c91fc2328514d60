-- CreateTable
CREATE TABLE "JobBeat" (
    "instance" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "everyMs" INTEGER NOT NULL,
    "lastOkAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobBeat_pkey" PRIMARY KEY ("instance","job")
);

