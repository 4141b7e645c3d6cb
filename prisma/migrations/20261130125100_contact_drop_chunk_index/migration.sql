-- DropIndex
DROP INDEX "contact_run_id_step_id_wave_chunk_idx";

