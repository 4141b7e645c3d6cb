-- Changed blocks of the export cell store (export-perf). `export_cell_block` holds masked export
-- cells per block of 4,096 customer ids (block_no = id >> 12). These statement-level triggers add
-- a row to `export_block_change` for every block in which a customer is inserted, deleted, or
-- updated in a column an export reads, and every block whose debit card (customer_card) changes —
-- in the same transaction as the change. A block is current only while it has no such row: the
-- refresh rebuilds a block and deletes the rows it saw in one REPEATABLE READ snapshot, so a
-- change committed after that snapshot keeps its row and the block stays out of use until the
-- next refresh (packages/core/src/exports/cell-store.ts). Insert-only: writers never wait on each
-- other here (the seed's parallel loaders write customers and accounts in separate transactions).
--
-- The triggers fire ALWAYS, also in sessions with session_replication_role = replica (the seed's
-- loaders). Runs after every deploy; idempotent.

CREATE OR REPLACE FUNCTION export_cells_touch(blocks integer[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO export_block_change (block_no) SELECT DISTINCT unnest(blocks)
$$;

CREATE OR REPLACE FUNCTION export_cells_customer_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM export_cells_touch(ARRAY(SELECT DISTINCT id >> 12 FROM new_rows));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION export_cells_customer_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM export_cells_touch(ARRAY(SELECT DISTINCT id >> 12 FROM old_rows));
  RETURN NULL;
END $$;

-- Only updates of what an export reads count (a status or timestamp update changes no cell).
CREATE OR REPLACE FUNCTION export_cells_customer_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM export_cells_touch(ARRAY(
    SELECT DISTINCT coalesce(n.id, o.id) >> 12
      FROM new_rows n FULL JOIN old_rows o ON o.id = n.id
     WHERE n.id IS NULL OR o.id IS NULL
        OR (n.customer_no, n.name, n.gender, n.phone, n.cert_no, n.city, n.opened_at, n.org_unit_id, n.rm_id, n.org_path)
           IS DISTINCT FROM (o.customer_no, o.name, o.gender, o.phone, o.cert_no, o.city, o.opened_at, o.org_unit_id, o.rm_id, o.org_path)));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION export_cells_card_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM export_cells_touch(ARRAY(SELECT DISTINCT customer_id >> 12 FROM new_cards));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION export_cells_card_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM export_cells_touch(ARRAY(SELECT DISTINCT customer_id >> 12 FROM old_cards));
  RETURN NULL;
END $$;

-- A truncated source leaves no block current.
CREATE OR REPLACE FUNCTION export_cells_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE export_cell_block;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER customer_export_cells_insert AFTER INSERT ON customer
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_cells_customer_insert();
CREATE OR REPLACE TRIGGER customer_export_cells_update AFTER UPDATE ON customer
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_cells_customer_update();
CREATE OR REPLACE TRIGGER customer_export_cells_delete AFTER DELETE ON customer
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION export_cells_customer_delete();
CREATE OR REPLACE TRIGGER customer_export_cells_truncate AFTER TRUNCATE ON customer
  FOR EACH STATEMENT EXECUTE FUNCTION export_cells_truncate();
CREATE OR REPLACE TRIGGER customer_card_export_cells_insert AFTER INSERT ON customer_card
  REFERENCING NEW TABLE AS new_cards FOR EACH STATEMENT EXECUTE FUNCTION export_cells_card_new();
CREATE OR REPLACE TRIGGER customer_card_export_cells_update AFTER UPDATE ON customer_card
  REFERENCING NEW TABLE AS new_cards FOR EACH STATEMENT EXECUTE FUNCTION export_cells_card_new();
CREATE OR REPLACE TRIGGER customer_card_export_cells_delete AFTER DELETE ON customer_card
  REFERENCING OLD TABLE AS old_cards FOR EACH STATEMENT EXECUTE FUNCTION export_cells_card_old();
CREATE OR REPLACE TRIGGER customer_card_export_cells_truncate AFTER TRUNCATE ON customer_card
  FOR EACH STATEMENT EXECUTE FUNCTION export_cells_truncate();
ALTER TABLE customer ENABLE ALWAYS TRIGGER customer_export_cells_insert, ENABLE ALWAYS TRIGGER customer_export_cells_update,
  ENABLE ALWAYS TRIGGER customer_export_cells_delete, ENABLE ALWAYS TRIGGER customer_export_cells_truncate;
ALTER TABLE customer_card ENABLE ALWAYS TRIGGER customer_card_export_cells_insert, ENABLE ALWAYS TRIGGER customer_card_export_cells_update,
  ENABLE ALWAYS TRIGGER customer_card_export_cells_delete, ENABLE ALWAYS TRIGGER customer_card_export_cells_truncate;
