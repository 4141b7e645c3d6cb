-- Export-ready debit card numbers (export-perf). customer_card (prisma/schema.prisma) holds each
-- customer's lowest demand-deposit account number — the export's 借记卡号 — so an export merges it
-- by one ordered key range instead of aggregating `account` per chunk. Kept exact by statement-
-- level triggers on `account` with transition tables: a bulk load (the seed's one COPY, the
-- export benchmark's INSERT … SELECT) costs one set-based statement, not a trigger call per row.
-- Runs after every deploy; idempotent. The table is filled from `account` once, in the same
-- transaction that first installs the triggers (CREATE TRIGGER locks out writers until commit).
--
-- The triggers fire ALWAYS, also in sessions with session_replication_role = replica: the seed's
-- loaders use that role to skip foreign-key checks, and their accounts must reach the table too.
--
-- Concurrent writers: each trigger first takes customer_card in SHARE ROW EXCLUSIVE mode (which
-- conflicts with itself, not with readers such as exports), so the trigger work of two
-- transactions writing accounts runs one after the other, the second after the first commits; its
-- statements then read `account` and `customer_card` as committed by the first. Without it, two
-- transactions changing one customer's demand accounts at once (one retiring the card account,
-- the other deleting the next one) could each decide on what the other had not committed yet and
-- leave a stale card. Account writes are batch loads here, so the wait is short and rare; two
-- transactions that also wait on each other's account rows get PostgreSQL's deadlock error (one
-- retries), never a wrong card.

-- Recomputes the card of the given customers from `account` (insert, update or delete as needed).
CREATE OR REPLACE FUNCTION customer_card_refresh(ids integer[]) RETURNS void LANGUAGE sql AS $$
  WITH cur AS (
    SELECT i.customer_id,
           (SELECT min(a.account_no) FROM account a WHERE a.customer_id = i.customer_id AND a.kind = 'DEMAND_DEPOSIT') AS card_no
      FROM (SELECT DISTINCT unnest(ids) AS customer_id) i
  ), gone AS (
    DELETE FROM customer_card k USING cur WHERE k.customer_id = cur.customer_id AND cur.card_no IS NULL
  )
  INSERT INTO customer_card (customer_id, card_no)
  SELECT customer_id, card_no FROM cur WHERE card_no IS NOT NULL
  ON CONFLICT (customer_id) DO UPDATE SET card_no = EXCLUDED.card_no
    WHERE customer_card.card_no IS DISTINCT FROM EXCLUDED.card_no
$$;

-- New accounts can only lower a customer's minimum: merge the statement's minima.
CREATE OR REPLACE FUNCTION customer_card_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE customer_card IN SHARE ROW EXCLUSIVE MODE;
  INSERT INTO customer_card (customer_id, card_no)
  SELECT customer_id, min(account_no) FROM new_accounts WHERE kind = 'DEMAND_DEPOSIT' GROUP BY customer_id
  ON CONFLICT (customer_id) DO UPDATE SET card_no = EXCLUDED.card_no
    WHERE EXCLUDED.card_no < customer_card.card_no;
  RETURN NULL;
END $$;

-- Updated accounts: recompute the customers whose demand accounts changed (owner, number or kind;
-- a balance or status update changes nothing here).
CREATE OR REPLACE FUNCTION customer_card_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE customer_card IN SHARE ROW EXCLUSIVE MODE;
  PERFORM customer_card_refresh(ARRAY(
    SELECT customer_id FROM (
      (SELECT customer_id, account_no, kind FROM old_accounts WHERE kind = 'DEMAND_DEPOSIT'
       EXCEPT SELECT customer_id, account_no, kind FROM new_accounts WHERE kind = 'DEMAND_DEPOSIT')
      UNION ALL
      (SELECT customer_id, account_no, kind FROM new_accounts WHERE kind = 'DEMAND_DEPOSIT'
       EXCEPT SELECT customer_id, account_no, kind FROM old_accounts WHERE kind = 'DEMAND_DEPOSIT')
    ) changed));
  RETURN NULL;
END $$;

-- Deleted accounts: only a customer whose card was deleted needs a new one (or none).
CREATE OR REPLACE FUNCTION customer_card_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE customer_card IN SHARE ROW EXCLUSIVE MODE;
  PERFORM customer_card_refresh(ARRAY(
    SELECT o.customer_id FROM old_accounts o JOIN customer_card k ON k.customer_id = o.customer_id AND k.card_no = o.account_no
     WHERE o.kind = 'DEMAND_DEPOSIT'));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION customer_card_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_card;
  RETURN NULL;
END $$;

DO $$
DECLARE
  fresh boolean := NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'account'::regclass AND tgname = 'account_customer_card_insert');
BEGIN
  CREATE OR REPLACE TRIGGER account_customer_card_insert AFTER INSERT ON account
    REFERENCING NEW TABLE AS new_accounts FOR EACH STATEMENT EXECUTE FUNCTION customer_card_after_insert();
  CREATE OR REPLACE TRIGGER account_customer_card_update AFTER UPDATE ON account
    REFERENCING OLD TABLE AS old_accounts NEW TABLE AS new_accounts FOR EACH STATEMENT EXECUTE FUNCTION customer_card_after_update();
  CREATE OR REPLACE TRIGGER account_customer_card_delete AFTER DELETE ON account
    REFERENCING OLD TABLE AS old_accounts FOR EACH STATEMENT EXECUTE FUNCTION customer_card_after_delete();
  CREATE OR REPLACE TRIGGER account_customer_card_truncate AFTER TRUNCATE ON account
    FOR EACH STATEMENT EXECUTE FUNCTION customer_card_after_truncate();
  ALTER TABLE account ENABLE ALWAYS TRIGGER account_customer_card_insert, ENABLE ALWAYS TRIGGER account_customer_card_update,
    ENABLE ALWAYS TRIGGER account_customer_card_delete, ENABLE ALWAYS TRIGGER account_customer_card_truncate;
  IF fresh THEN
    DELETE FROM customer_card;
    INSERT INTO customer_card (customer_id, card_no)
    SELECT customer_id, min(account_no) FROM account WHERE kind = 'DEMAND_DEPOSIT' GROUP BY customer_id;
  END IF;
END $$;
