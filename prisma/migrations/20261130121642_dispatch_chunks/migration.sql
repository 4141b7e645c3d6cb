-- AlterTable
ALTER TABLE "campaign_wave" ADD COLUMN     "chunk_size" INTEGER,
ADD COLUMN     "chunks" INTEGER,
ADD COLUMN     "id_base" BIGINT;

-- CreateTable
CREATE TABLE "campaign_chunk" (
    "run_id" TEXT NOT NULL,
    "step_id" TEXT NOT NULL,
    "wave" TEXT NOT NULL,
    "chunk" INTEGER NOT NULL,
    "done_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_chunk_pkey" PRIMARY KEY ("run_id","step_id","wave","chunk")
);

-- AddForeignKey
ALTER TABLE "campaign_chunk" ADD CONSTRAINT "campaign_chunk_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "campaign_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

