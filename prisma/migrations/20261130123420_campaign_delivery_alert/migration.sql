-- AlterTable
ALTER TABLE "campaign" ADD COLUMN     "delivery_alert_bp" INTEGER NOT NULL DEFAULT 8000;

