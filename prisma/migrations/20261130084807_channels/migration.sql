-- CreateEnum
CREATE TYPE "CallTaskStatus" AS ENUM ('PENDING', 'FETCHED', 'DONE');

-- CreateEnum
CREATE TYPE "CallResult" AS ENUM ('INTERESTED', 'NOT_INTERESTED', 'CALL_BACK', 'NO_ANSWER', 'BUSY', 'WRONG_NUMBER', 'REFUSED');

-- CreateTable
CREATE TABLE "provider_message" (
    "channel" "Channel" NOT NULL,
    "message_id" TEXT NOT NULL,
    "contact_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_message_pkey" PRIMARY KEY ("channel","message_id")
);

-- CreateTable
CREATE TABLE "call_task" (
    "contact_id" BIGINT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "phone" TEXT NOT NULL,
    "script" TEXT NOT NULL,
    "status" "CallTaskStatus" NOT NULL DEFAULT 'PENDING',
    "result" "CallResult",
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fetched_at" TIMESTAMPTZ(3),
    "called_at" TIMESTAMPTZ(3),

    CONSTRAINT "call_task_pkey" PRIMARY KEY ("contact_id")
);

-- CreateTable
CREATE TABLE "sandbox_message" (
    "id" BIGSERIAL NOT NULL,
    "contact_id" BIGINT NOT NULL,
    "channel" "Channel" NOT NULL,
    "accepted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sandbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "provider_message_contact_id_idx" ON "provider_message"("contact_id");

-- CreateIndex
CREATE INDEX "call_task_status_created_at_idx" ON "call_task"("status", "created_at");

-- CreateIndex
CREATE INDEX "call_task_customer_id_idx" ON "call_task"("customer_id");

-- CreateIndex
CREATE INDEX "sandbox_message_contact_id_idx" ON "sandbox_message"("contact_id");

-- AddForeignKey
ALTER TABLE "provider_message" ADD CONSTRAINT "provider_message_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_task" ADD CONSTRAINT "call_task_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

