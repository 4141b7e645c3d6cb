-- CreateEnum
CREATE TYPE "TagValueType" AS ENUM ('BOOLEAN', 'ENUM', 'NUMBER', 'DATE', 'TEXT');

-- CreateEnum
CREATE TYPE "TagSourceKind" AS ENUM ('FACT', 'RULE', 'MODEL', 'IMPORTED', 'REALTIME');

-- CreateEnum
CREATE TYPE "TagUpdateFrequency" AS ENUM ('DAILY', 'REALTIME', 'MONTHLY', 'ON_DEMAND');

-- CreateEnum
CREATE TYPE "TagStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'RETIRED');

-- CreateEnum
CREATE TYPE "TagVersionStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'REJECTED', 'SUPERSEDED');

-- CreateEnum
CREATE TYPE "TagRunTrigger" AS ENUM ('SCHEDULED', 'MANUAL');

-- CreateEnum
CREATE TYPE "TagRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "TagUsageKind" AS ENUM ('SEGMENT', 'CAMPAIGN', 'MODEL');

-- CreateTable
CREATE TABLE "tag_category" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "parent_id" INTEGER,
    "sort" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tag_category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tag" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "category_id" INTEGER NOT NULL,
    "value_type" "TagValueType" NOT NULL,
    "unit" TEXT,
    "enum_values" JSONB,
    "source_kind" "TagSourceKind" NOT NULL,
    "definition" TEXT NOT NULL,
    "definition_en" TEXT NOT NULL,
    "business_owner_id" TEXT,
    "technical_owner_id" TEXT,
    "update_frequency" "TagUpdateFrequency" NOT NULL,
    "status" "TagStatus" NOT NULL DEFAULT 'DRAFT',
    "current_version" INTEGER,
    "coverage_drift_max" DOUBLE PRECISION,
    "psi_max" DOUBLE PRECISION,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tag_version" (
    "id" SERIAL NOT NULL,
    "tag_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "rule" JSONB,
    "enum_values" JSONB,
    "unit" TEXT,
    "definition" TEXT NOT NULL,
    "definition_en" TEXT NOT NULL,
    "change_note" TEXT NOT NULL,
    "status" "TagVersionStatus" NOT NULL DEFAULT 'DRAFT',
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_at" TIMESTAMPTZ(3),
    "reviewed_by_id" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "review_note" TEXT,

    CONSTRAINT "tag_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tag_run" (
    "id" SERIAL NOT NULL,
    "trigger" "TagRunTrigger" NOT NULL,
    "job_key" TEXT,
    "status" "TagRunStatus" NOT NULL DEFAULT 'RUNNING',
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "progress" INTEGER NOT NULL DEFAULT 0,
    "phase" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "customers" INTEGER NOT NULL DEFAULT 0,
    "tag_count" INTEGER NOT NULL DEFAULT 0,
    "tag_stats" JSONB,
    "error" TEXT,
    "requested_by_id" TEXT,

    CONSTRAINT "tag_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tag_current_run" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "run_id" INTEGER NOT NULL,
    "swapped_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tag_current_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tag_column" (
    "run_id" INTEGER NOT NULL,
    "tag_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "value_type" "TagValueType" NOT NULL,
    "enum_labels" TEXT[],
    "bools" BOOLEAN[],
    "codes" SMALLINT[],
    "nums" DOUBLE PRECISION[],
    "dates" DATE[],
    "texts" TEXT[],

    CONSTRAINT "tag_column_pkey" PRIMARY KEY ("run_id","tag_id")
);

-- CreateTable
CREATE TABLE "tag_stat" (
    "run_id" INTEGER NOT NULL,
    "tag_id" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "non_null" INTEGER NOT NULL,
    "coverage" DOUBLE PRECISION NOT NULL,
    "distribution" JSONB NOT NULL,
    "coverage_delta" DOUBLE PRECISION,
    "psi" DOUBLE PRECISION,
    "alerts" TEXT[],

    CONSTRAINT "tag_stat_pkey" PRIMARY KEY ("run_id","tag_id")
);

-- CreateTable
CREATE TABLE "tag_usage" (
    "id" SERIAL NOT NULL,
    "tag_id" INTEGER NOT NULL,
    "used_by" "TagUsageKind" NOT NULL,
    "ref_id" TEXT NOT NULL,
    "ref_name" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "tag_usage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tag_usage_daily" (
    "tag_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "tag_usage_daily_pkey" PRIMARY KEY ("tag_id","day")
);

-- CreateTable
CREATE TABLE "tag_event" (
    "event_id" TEXT NOT NULL,
    "api_key_id" TEXT,
    "customer_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "amount" DECIMAL(18,2),
    "attributes" JSONB,

    CONSTRAINT "tag_event_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "realtime_tag_value" (
    "tag_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "value_num" DOUBLE PRECISION,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "event_id" TEXT NOT NULL,

    CONSTRAINT "realtime_tag_value_pkey" PRIMARY KEY ("tag_id","customer_id")
);

-- CreateTable
CREATE TABLE "tag_source_value" (
    "tag_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "value_num" DOUBLE PRECISION,
    "value_text" TEXT,
    "source" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tag_source_value_pkey" PRIMARY KEY ("tag_id","customer_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tag_category_code_key" ON "tag_category"("code");

-- CreateIndex
CREATE INDEX "tag_category_parent_id_idx" ON "tag_category"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "tag_code_key" ON "tag"("code");

-- CreateIndex
CREATE INDEX "tag_category_id_idx" ON "tag"("category_id");

-- CreateIndex
CREATE INDEX "tag_status_idx" ON "tag"("status");

-- CreateIndex
CREATE INDEX "tag_version_status_idx" ON "tag_version"("status");

-- CreateIndex
CREATE UNIQUE INDEX "tag_version_tag_id_version_key" ON "tag_version"("tag_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "tag_run_job_key_key" ON "tag_run"("job_key");

-- CreateIndex
CREATE INDEX "tag_run_started_at_idx" ON "tag_run"("started_at");

-- CreateIndex
CREATE UNIQUE INDEX "tag_current_run_run_id_key" ON "tag_current_run"("run_id");

-- CreateIndex
CREATE INDEX "tag_column_tag_id_idx" ON "tag_column"("tag_id");

-- CreateIndex
CREATE INDEX "tag_stat_tag_id_idx" ON "tag_stat"("tag_id");

-- CreateIndex
CREATE UNIQUE INDEX "tag_usage_tag_id_used_by_ref_id_key" ON "tag_usage"("tag_id", "used_by", "ref_id");

-- CreateIndex
CREATE INDEX "tag_event_customer_id_occurred_at_idx" ON "tag_event"("customer_id", "occurred_at");

-- CreateIndex
CREATE INDEX "tag_event_received_at_idx" ON "tag_event"("received_at");

-- CreateIndex
CREATE INDEX "realtime_tag_value_customer_id_idx" ON "realtime_tag_value"("customer_id");

-- AddForeignKey
ALTER TABLE "tag_category" ADD CONSTRAINT "tag_category_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "tag_category"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag" ADD CONSTRAINT "tag_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "tag_category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag" ADD CONSTRAINT "tag_business_owner_id_fkey" FOREIGN KEY ("business_owner_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag" ADD CONSTRAINT "tag_technical_owner_id_fkey" FOREIGN KEY ("technical_owner_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_version" ADD CONSTRAINT "tag_version_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_current_run" ADD CONSTRAINT "tag_current_run_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "tag_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_column" ADD CONSTRAINT "tag_column_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "tag_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_column" ADD CONSTRAINT "tag_column_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_stat" ADD CONSTRAINT "tag_stat_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "tag_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_stat" ADD CONSTRAINT "tag_stat_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_usage" ADD CONSTRAINT "tag_usage_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_usage_daily" ADD CONSTRAINT "tag_usage_daily_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "realtime_tag_value" ADD CONSTRAINT "realtime_tag_value_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_source_value" ADD CONSTRAINT "tag_source_value_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

