-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED', 'REJECTED');

-- CreateEnum
CREATE TYPE "CampaignAudienceKind" AS ENUM ('SEGMENT', 'EVENT_TRIGGER');

-- CreateEnum
CREATE TYPE "CampaignScheduleKind" AS ENUM ('NOW', 'AT', 'RECURRING', 'ON_TRIGGER');

-- CreateEnum
CREATE TYPE "QuietHoursPolicy" AS ENUM ('DEFER', 'DROP');

-- CreateEnum
CREATE TYPE "CampaignRunStatus" AS ENUM ('RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED', 'FAILED');

-- CreateEnum
CREATE TYPE "WaveStatus" AS ENUM ('PENDING', 'PROCESSING', 'DONE');

-- CreateEnum
CREATE TYPE "ContactStatus" AS ENUM ('QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'FAILED', 'SUPPRESSED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SuppressionReason" AS ENUM ('CONTROL_GROUP', 'NO_CONSENT', 'DO_NOT_DISTURB', 'COMPLAINT', 'QUIET_HOURS', 'FREQUENCY_CAP_DAY', 'FREQUENCY_CAP_WEEK', 'UNSUITABLE', 'ASSESSMENT_EXPIRED', 'DUPLICATE', 'NO_ADDRESS', 'TRIGGER_EXPIRED', 'BUDGET_EXHAUSTED');

-- CreateEnum
CREATE TYPE "ContactEventType" AS ENUM ('DELIVERED', 'DELIVERY_FAILED', 'CLICKED', 'CONVERTED', 'RESPONDED');

-- CreateEnum
CREATE TYPE "LeadPriority" AS ENUM ('HIGH', 'MEDIUM', 'LOW');

-- CreateEnum
CREATE TYPE "LeadStatus" AS ENUM ('OPEN', 'IN_PROGRESS', 'WON', 'LOST', 'EXPIRED');

-- CreateTable
CREATE TABLE "campaign" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "goal" TEXT,
    "audience_kind" "CampaignAudienceKind" NOT NULL,
    "segment_id" TEXT,
    "segment_snapshot_id" TEXT,
    "trigger" JSONB,
    "schedule_kind" "CampaignScheduleKind" NOT NULL,
    "start_at" TIMESTAMPTZ(3),
    "end_at" TIMESTAMPTZ(3),
    "cron" TEXT,
    "trigger_delay_seconds" INTEGER NOT NULL DEFAULT 0,
    "trigger_window_seconds" INTEGER,
    "budget" DECIMAL(18,2),
    "cost_per_message" JSONB NOT NULL DEFAULT '{}',
    "control_share_bp" INTEGER NOT NULL DEFAULT 0,
    "quiet_hours_policy" "QuietHoursPolicy" NOT NULL DEFAULT 'DEFER',
    "attribution_days" INTEGER NOT NULL DEFAULT 14,
    "flow" JSONB NOT NULL,
    "flow_version" INTEGER NOT NULL DEFAULT 1,
    "status" "CampaignStatus" NOT NULL DEFAULT 'DRAFT',
    "created_by_id" TEXT NOT NULL,
    "approved_by_id" TEXT,
    "submitted_at" TIMESTAMPTZ(3),
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,
    "org_unit_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_product" (
    "campaign_id" TEXT NOT NULL,
    "product_id" INTEGER NOT NULL,

    CONSTRAINT "campaign_product_pkey" PRIMARY KEY ("campaign_id","product_id")
);

-- CreateTable
CREATE TABLE "campaign_template" (
    "id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "name" TEXT NOT NULL,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "opt_out_text" TEXT,
    "link_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "campaign_template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_run" (
    "id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "launch_key" TEXT NOT NULL,
    "status" "CampaignRunStatus" NOT NULL DEFAULT 'RUNNING',
    "flow" JSONB NOT NULL,
    "flow_version" INTEGER NOT NULL,
    "snapshot_id" TEXT,
    "audience_count" INTEGER NOT NULL DEFAULT 0,
    "launched_by_id" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "campaign_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_wave" (
    "run_id" TEXT NOT NULL,
    "wave" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "members" BYTEA NOT NULL,
    "count" INTEGER NOT NULL,
    "status" "WaveStatus" NOT NULL DEFAULT 'PENDING',
    "due_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "campaign_wave_pkey" PRIMARY KEY ("run_id","wave","node_id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "step_id" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "template_id" TEXT,
    "wave" TEXT NOT NULL DEFAULT 'main',
    "chunk" INTEGER NOT NULL DEFAULT 0,
    "status" "ContactStatus" NOT NULL DEFAULT 'QUEUED',
    "suppression_reason" "SuppressionReason",
    "control" BOOLEAN NOT NULL DEFAULT false,
    "not_before" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "clicked_at" TIMESTAMPTZ(3),
    "responded_at" TIMESTAMPTZ(3),
    "converted_at" TIMESTAMPTZ(3),
    "provider_message_id" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_event" (
    "id" BIGSERIAL NOT NULL,
    "contact_id" BIGINT NOT NULL,
    "type" "ContactEventType" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,
    "detail" JSONB,
    "repeats" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppression_count" (
    "run_id" TEXT NOT NULL,
    "step_id" TEXT NOT NULL,
    "reason" "SuppressionReason" NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "suppression_count_pkey" PRIMARY KEY ("run_id","step_id","reason")
);

-- CreateTable
CREATE TABLE "lead" (
    "id" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "rm_id" TEXT,
    "org_unit_id" TEXT NOT NULL,
    "campaign_id" TEXT,
    "contact_id" BIGINT,
    "priority" "LeadPriority" NOT NULL DEFAULT 'MEDIUM',
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "LeadStatus" NOT NULL DEFAULT 'OPEN',
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_policy" (
    "channel" "Channel" NOT NULL,
    "daily_cap" INTEGER,
    "weekly_cap" INTEGER,
    "quiet_start" TEXT NOT NULL DEFAULT '21:00',
    "quiet_end" TEXT NOT NULL DEFAULT '08:00',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by_id" TEXT,

    CONSTRAINT "contact_policy_pkey" PRIMARY KEY ("channel")
);

-- CreateIndex
CREATE UNIQUE INDEX "campaign_code_key" ON "campaign"("code");

-- CreateIndex
CREATE INDEX "campaign_org_unit_id_status_idx" ON "campaign"("org_unit_id", "status");

-- CreateIndex
CREATE INDEX "campaign_status_schedule_kind_idx" ON "campaign"("status", "schedule_kind");

-- CreateIndex
CREATE INDEX "campaign_template_campaign_id_idx" ON "campaign_template"("campaign_id");

-- CreateIndex
CREATE INDEX "campaign_run_status_idx" ON "campaign_run"("status");

-- CreateIndex
CREATE UNIQUE INDEX "campaign_run_campaign_id_launch_key_key" ON "campaign_run"("campaign_id", "launch_key");

-- CreateIndex
CREATE INDEX "contact_run_id_step_id_wave_chunk_idx" ON "contact"("run_id", "step_id", "wave", "chunk");

-- CreateIndex
CREATE INDEX "contact_customer_id_channel_sent_at_idx" ON "contact"("customer_id", "channel", "sent_at");

-- CreateIndex
CREATE INDEX "contact_campaign_id_status_idx" ON "contact"("campaign_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "contact_run_id_customer_id_step_id_channel_key" ON "contact"("run_id", "customer_id", "step_id", "channel");

-- CreateIndex
CREATE INDEX "contact_event_occurred_at_idx" ON "contact_event"("occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "contact_event_contact_id_type_key" ON "contact_event"("contact_id", "type");

-- CreateIndex
CREATE UNIQUE INDEX "lead_contact_id_key" ON "lead"("contact_id");

-- CreateIndex
CREATE INDEX "lead_rm_id_status_due_at_idx" ON "lead"("rm_id", "status", "due_at");

-- CreateIndex
CREATE INDEX "lead_org_unit_id_status_idx" ON "lead"("org_unit_id", "status");

-- CreateIndex
CREATE INDEX "lead_customer_id_idx" ON "lead"("customer_id");

-- AddForeignKey
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_approved_by_id_fkey" FOREIGN KEY ("approved_by_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_org_unit_id_fkey" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_product" ADD CONSTRAINT "campaign_product_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_product" ADD CONSTRAINT "campaign_product_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_template" ADD CONSTRAINT "campaign_template_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_run" ADD CONSTRAINT "campaign_run_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_wave" ADD CONSTRAINT "campaign_wave_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "campaign_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "campaign_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_event" ADD CONSTRAINT "contact_event_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "suppression_count" ADD CONSTRAINT "suppression_count_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "campaign_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_rm_id_fkey" FOREIGN KEY ("rm_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

