-- The export cell store (prisma/sql/096_export_cell_store.sql installs the triggers that record
-- changed blocks, packages/core/src/exports/cell-store.ts describes the cells' layout).
-- UNLOGGED: derived data, rebuilt from `customer` by the refresh job. A crash empties it and
-- exports read rows until it is refilled. STORAGE EXTERNAL: every export reads the blocks whole,
-- so they are kept uncompressed (decompressing pglz would cost more than the bytes).
CREATE UNLOGGED TABLE "export_cell_block" (
    "block_no" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "run_id" INTEGER,
    "data" BYTEA NOT NULL,

    CONSTRAINT "export_cell_block_pkey" PRIMARY KEY ("block_no","field")
);
ALTER TABLE "export_cell_block" ALTER COLUMN "data" SET STORAGE EXTERNAL;

-- CreateTable
CREATE TABLE "export_block_change" (
    "id" BIGSERIAL NOT NULL,
    "block_no" INTEGER NOT NULL,

    CONSTRAINT "export_block_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "export_block_change_block_no_idx" ON "export_block_change"("block_no");
