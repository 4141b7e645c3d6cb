-- Campaign dispatch (dispatch-perf): contact ids of send waves are reserved as one block per wave
-- (campaign_wave.id_base + position), from their own range far above contact_id_seq, so a chunk
-- has the same contact ids on every attempt (they are the provider's idempotency key) without
-- materialising its rows first. Reserved under an advisory lock (dispatch/waves.ts). Idempotent.
CREATE SEQUENCE IF NOT EXISTS contact_block_id_seq AS bigint START WITH 1000000000000 MINVALUE 1000000000000;
