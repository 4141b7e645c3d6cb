-- DropIndex
DROP INDEX "contact_customer_id_channel_sent_at_idx";

-- DropIndex
DROP INDEX "contact_campaign_id_status_idx";

