-- CreateTable
CREATE TABLE "ProofCheckpoint" (
    "jobId" UUID NOT NULL,
    "stage" TEXT NOT NULL,
    "done" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "bytes" BYTEA,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProofCheckpoint_pkey" PRIMARY KEY ("jobId")
);

-- AddForeignKey
ALTER TABLE "ProofCheckpoint" ADD CONSTRAINT "ProofCheckpoint_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "ProofJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;
