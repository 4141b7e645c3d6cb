-- Campaign dispatch (camp-dispatch): indexes Prisma's schema language cannot express.
-- Runs after every deploy; idempotent.

-- Contacts still to send, per wave of a step: "is this wave finished?" after every chunk is an
-- index probe instead of a scan of the step's settled rows.
CREATE INDEX IF NOT EXISTS contact_pending_idx ON contact (run_id, step_id, wave, chunk)
  WHERE status IN ('QUEUED', 'SENDING');
