-- Campaign dispatch (camp-dispatch): indexes Prisma's schema language cannot express.
-- Runs after every deploy; idempotent.

-- Contacts still to send, per wave of a step: "is this wave finished?" after every chunk is an
-- index probe instead of a scan of the step's settled rows.
CREATE INDEX IF NOT EXISTS contact_pending_idx ON contact (run_id, step_id, wave, chunk)
  WHERE status IN ('QUEUED', 'SENDING');

-- Frequency caps count a customer's sends on a channel in a time window: only sent contacts are
-- indexed (suppressed ones, a large share of any campaign, never count).
CREATE INDEX IF NOT EXISTS contact_sent_idx ON contact (customer_id, channel, sent_at)
  WHERE sent_at IS NOT NULL;
