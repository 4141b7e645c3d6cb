-- CreateEnum
CREATE TYPE "SegmentExportFormat" AS ENUM ('CSV', 'XLSX');

-- CreateEnum
CREATE TYPE "SegmentExportStatus" AS ENUM ('PENDING_APPROVAL', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED');

-- CreateTable
CREATE TABLE "segment_export" (
    "id" TEXT NOT NULL,
    "snapshot_id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,
    "requested_by_id" TEXT NOT NULL,
    "org_unit_id" TEXT NOT NULL,
    "columns" JSONB NOT NULL,
    "format" "SegmentExportFormat" NOT NULL,
    "masked" BOOLEAN NOT NULL DEFAULT true,
    "reason" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "status" "SegmentExportStatus" NOT NULL,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "row_count" INTEGER NOT NULL,
    "rows_written" INTEGER,
    "file_path" TEXT,
    "file_size" BIGINT,
    "checksum" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "approval_required" BOOLEAN NOT NULL DEFAULT false,
    "reviewed_by_id" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "review_note" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "downloads" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "segment_export_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "segment_export_requested_by_id_created_at_idx" ON "segment_export"("requested_by_id", "created_at");

-- CreateIndex
CREATE INDEX "segment_export_org_unit_id_status_idx" ON "segment_export"("org_unit_id", "status");

-- CreateIndex
CREATE INDEX "segment_export_snapshot_id_idx" ON "segment_export"("snapshot_id");

-- AddForeignKey
ALTER TABLE "segment_export" ADD CONSTRAINT "segment_export_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "segment_snapshot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_export" ADD CONSTRAINT "segment_export_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_export" ADD CONSTRAINT "segment_export_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_export" ADD CONSTRAINT "segment_export_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

