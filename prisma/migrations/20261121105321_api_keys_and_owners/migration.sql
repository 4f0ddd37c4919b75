-- DropIndex
DROP INDEX "Program_digest_key";

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "ownerId" TEXT NOT NULL DEFAULT 'local';

-- AlterTable
ALTER TABLE "ProofJob" ADD COLUMN     "ownerId" TEXT NOT NULL DEFAULT 'local';

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "maxUploadBytes" INTEGER,
    "maxCycleLimit" BIGINT,
    "maxConcurrentJobs" INTEGER,
    "jobsPerMinute" INTEGER,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "Program_ownerId_createdAt_idx" ON "Program"("ownerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Program_ownerId_digest_key" ON "Program"("ownerId", "digest");

-- CreateIndex
CREATE INDEX "ProofJob_ownerId_createdAt_idx" ON "ProofJob"("ownerId", "createdAt");
