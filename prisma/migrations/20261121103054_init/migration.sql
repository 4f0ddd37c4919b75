-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'executing', 'folding', 'compressing', 'succeeded', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "Program" (
    "id" UUID NOT NULL,
    "digest" TEXT NOT NULL,
    "name" TEXT,
    "format" TEXT NOT NULL,
    "entryPoint" BIGINT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "segments" JSONB NOT NULL,
    "content" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Program_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProofJob" (
    "id" UUID NOT NULL,
    "programId" UUID NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "mode" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "publicInput" BYTEA NOT NULL,
    "privateInput" BYTEA,
    "progress" JSONB NOT NULL,
    "statement" JSONB,
    "result" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "workerId" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "executingAt" TIMESTAMP(3),
    "foldingAt" TIMESTAMP(3),
    "compressingAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ProofJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Proof" (
    "jobId" UUID NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Proof_pkey" PRIMARY KEY ("jobId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Program_digest_key" ON "Program"("digest");

-- CreateIndex
CREATE INDEX "ProofJob_status_idx" ON "ProofJob"("status");

-- CreateIndex
CREATE INDEX "ProofJob_programId_idx" ON "ProofJob"("programId");

-- AddForeignKey
ALTER TABLE "ProofJob" ADD CONSTRAINT "ProofJob_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Proof" ADD CONSTRAINT "Proof_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "ProofJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;
