-- Import idempotency (Prisma's schema language has no partial unique index).
-- A file (kind + source system + content hash) or a caller's batch key can be live only once:
-- while a batch is queued, running or applied, a second one with the same content/key is refused
-- by the database itself, so two concurrent uploads cannot both apply. REJECTED and FAILED
-- batches leave the index: the same file may be retried once the data it references exists.
CREATE UNIQUE INDEX IF NOT EXISTS import_batch_live_content_key
  ON import_batch (kind, source_system, content_hash)
  WHERE status IN ('PENDING', 'VALIDATING', 'APPLYING', 'APPLIED');
CREATE UNIQUE INDEX IF NOT EXISTS import_batch_live_batch_key
  ON import_batch (kind, source_system, batch_key)
  WHERE batch_key IS NOT NULL AND status IN ('PENDING', 'VALIDATING', 'APPLYING', 'APPLIED');
