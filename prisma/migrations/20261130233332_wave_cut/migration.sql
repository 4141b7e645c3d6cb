-- AlterTable
ALTER TABLE "campaign_wave" ADD COLUMN     "block_bits" INTEGER,
ADD COLUMN     "chunk_max" INTEGER;

