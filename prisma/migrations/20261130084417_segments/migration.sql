-- CreateEnum
CREATE TYPE "SegmentKind" AS ENUM ('RULE', 'STATIC', 'MODEL');

-- CreateEnum
CREATE TYPE "SegmentStatus" AS ENUM ('ACTIVE', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "SegmentSnapshotTrigger" AS ENUM ('SAVE', 'ON_DEMAND', 'TAG_RUN', 'STATIC');

-- CreateEnum
CREATE TYPE "SegmentImportMatch" AS ENUM ('CUSTOMER_NO', 'PHONE', 'CERT_NO');

-- CreateEnum
CREATE TYPE "SegmentImportStatus" AS ENUM ('PENDING', 'MATCHING', 'APPLIED', 'REJECTED', 'FAILED');

-- CreateTable
CREATE TABLE "segment" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "kind" "SegmentKind" NOT NULL,
    "status" "SegmentStatus" NOT NULL DEFAULT 'ACTIVE',
    "rule" JSONB,
    "rule_version" INTEGER NOT NULL DEFAULT 1,
    "members" BYTEA,
    "origin" JSONB,
    "owner_id" TEXT NOT NULL,
    "org_unit_id" TEXT NOT NULL,
    "latest_snapshot_id" TEXT,
    "latest_count" INTEGER,
    "latest_taken_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "segment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_snapshot" (
    "id" TEXT NOT NULL,
    "segment_id" TEXT NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trigger" "SegmentSnapshotTrigger" NOT NULL,
    "count" INTEGER NOT NULL,
    "members" BYTEA NOT NULL,
    "tag_run_id" INTEGER,
    "rule_version" INTEGER,
    "taken_by_id" TEXT,

    CONSTRAINT "segment_snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_import" (
    "id" TEXT NOT NULL,
    "segment_id" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "match_by" "SegmentImportMatch" NOT NULL,
    "file_name" TEXT,
    "content_hash" TEXT NOT NULL,
    "status" "SegmentImportStatus" NOT NULL DEFAULT 'PENDING',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "matched_rows" INTEGER NOT NULL DEFAULT 0,
    "unmatched_rows" INTEGER NOT NULL DEFAULT 0,
    "invalid_rows" INTEGER NOT NULL DEFAULT 0,
    "duplicate_rows" INTEGER NOT NULL DEFAULT 0,
    "error" JSONB,
    "content" BYTEA,
    "created_by_id" TEXT NOT NULL,
    "org_unit_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "segment_import_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_import_row" (
    "id" BIGSERIAL NOT NULL,
    "import_id" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "value_masked" TEXT,

    CONSTRAINT "segment_import_row_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "segment_org_unit_id_status_idx" ON "segment"("org_unit_id", "status");

-- CreateIndex
CREATE INDEX "segment_owner_id_idx" ON "segment"("owner_id");

-- CreateIndex
CREATE INDEX "segment_snapshot_segment_id_taken_at_idx" ON "segment_snapshot"("segment_id", "taken_at");

-- CreateIndex
CREATE UNIQUE INDEX "segment_snapshot_segment_id_tag_run_id_key" ON "segment_snapshot"("segment_id", "tag_run_id");

-- CreateIndex
CREATE INDEX "segment_import_org_unit_id_created_at_idx" ON "segment_import"("org_unit_id", "created_at");

-- CreateIndex
CREATE INDEX "segment_import_row_import_id_line_idx" ON "segment_import_row"("import_id", "line");

-- AddForeignKey
ALTER TABLE "segment" ADD CONSTRAINT "segment_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment" ADD CONSTRAINT "segment_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_snapshot" ADD CONSTRAINT "segment_snapshot_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_import" ADD CONSTRAINT "segment_import_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment_import_row" ADD CONSTRAINT "segment_import_row_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "segment_import"("id") ON DELETE CASCADE ON UPDATE CASCADE;

