-- Tag storage (see packages/core/src/tags/README.md). Idempotent: runs after every migrate deploy.

-- One current run, ever.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tag_current_run_single_row') THEN
    ALTER TABLE tag_current_run ADD CONSTRAINT tag_current_run_single_row CHECK (id = 1);
  END IF;
END $$;

-- The value arrays are megabytes each: lz4 compresses them at a fraction of pglz's cost (booleans
-- and sparse columns shrink most). A server built without lz4 keeps the default.
DO $$
BEGIN
  ALTER TABLE tag_column
    ALTER COLUMN bools SET COMPRESSION lz4,
    ALTER COLUMN codes SET COMPRESSION lz4,
    ALTER COLUMN nums SET COMPRESSION lz4,
    ALTER COLUMN dates SET COMPRESSION lz4,
    ALTER COLUMN texts SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 not available: tag_column keeps the default TOAST compression';
END $$;

-- The analysts' row-wise view of the current run: one row per customer and tag with a value.
--   value_num   booleans 1/0, enum code (0-based), the number, dates as days since 1970-01-01
--   value_label 'true'/'false', the enum value, the ISO date, the text
-- A real-time value newer than the run and not expired replaces the batch value of its tag.
CREATE OR REPLACE VIEW customer_tag_value AS
WITH cur AS (
  SELECT r.id AS run_id, r.as_of FROM tag_current_run p JOIN tag_run r ON r.id = p.run_id
), rt AS (
  SELECT v.tag_id, v.customer_id, v.value_num, v.updated_at
  FROM realtime_tag_value v
  WHERE v.updated_at > COALESCE((SELECT as_of FROM cur), '-infinity') AND (v.expires_at IS NULL OR v.expires_at > now())
)
SELECT u.customer_id::int AS customer_id, t.code AS tag_code, t.id AS tag_id, u.value_num, u.value_label, u.value_date, c.run_id
FROM cur
JOIN tag_column c ON c.run_id = cur.run_id
JOIN tag t ON t.id = c.tag_id
CROSS JOIN LATERAL (
  SELECT o AS customer_id, (CASE WHEN v THEN 1 ELSE 0 END)::float8 AS value_num,
         (CASE WHEN v THEN 'true' ELSE 'false' END) AS value_label, NULL::date AS value_date
    FROM unnest(c.bools) WITH ORDINALITY AS x(v, o) WHERE v IS NOT NULL
  UNION ALL
  SELECT o, v::float8, c.enum_labels[v + 1], NULL FROM unnest(c.codes) WITH ORDINALITY AS x(v, o) WHERE v IS NOT NULL
  UNION ALL
  SELECT o, v, NULL, NULL FROM unnest(c.nums) WITH ORDINALITY AS x(v, o) WHERE v IS NOT NULL
  UNION ALL
  SELECT o, (v - DATE '1970-01-01')::float8, v::text, v FROM unnest(c.dates) WITH ORDINALITY AS x(v, o) WHERE v IS NOT NULL
  UNION ALL
  SELECT o, NULL, v, NULL FROM unnest(c.texts) WITH ORDINALITY AS x(v, o) WHERE v IS NOT NULL
) u
WHERE t.source_kind <> 'REALTIME'
   OR NOT EXISTS (SELECT 1 FROM rt WHERE rt.tag_id = t.id AND rt.customer_id = u.customer_id)
UNION ALL
SELECT rt.customer_id, t.code, t.id, rt.value_num,
       CASE t.value_type
         WHEN 'BOOLEAN' THEN CASE WHEN rt.value_num = 1 THEN 'true' WHEN rt.value_num = 0 THEN 'false' END
         WHEN 'ENUM' THEN t.enum_values -> rt.value_num::int ->> 'value'
       END,
       NULL::date, NULL::int
FROM rt JOIN tag t ON t.id = rt.tag_id
WHERE rt.value_num IS NOT NULL;

-- One customer's current values without unnesting every column (array subscripts): for analysts
-- looking up a customer, e.g. SELECT * FROM customer_tags(42). Real-time overlay as in the view.
CREATE OR REPLACE FUNCTION customer_tags(cid int)
RETURNS TABLE (tag_code text, value_num float8, value_label text, value_date date) LANGUAGE sql STABLE AS $$
  WITH cur AS (SELECT r.id AS run_id, r.as_of FROM tag_current_run p JOIN tag_run r ON r.id = p.run_id),
  rt AS (
    SELECT v.tag_id, v.value_num FROM realtime_tag_value v
    WHERE v.customer_id = cid AND v.updated_at > COALESCE((SELECT as_of FROM cur), '-infinity') AND (v.expires_at IS NULL OR v.expires_at > now())
  ),
  batch AS (
    SELECT t.id AS tag_id, t.code,
           CASE c.value_type
             WHEN 'BOOLEAN' THEN CASE WHEN c.bools[cid] THEN 1 WHEN NOT c.bools[cid] THEN 0 END
             WHEN 'ENUM' THEN c.codes[cid]::float8
             WHEN 'NUMBER' THEN c.nums[cid]
             WHEN 'DATE' THEN (c.dates[cid] - DATE '1970-01-01')::float8
           END AS value_num,
           CASE c.value_type
             WHEN 'BOOLEAN' THEN CASE WHEN c.bools[cid] THEN 'true' WHEN NOT c.bools[cid] THEN 'false' END
             WHEN 'ENUM' THEN c.enum_labels[c.codes[cid] + 1]
             WHEN 'DATE' THEN c.dates[cid]::text
             WHEN 'TEXT' THEN c.texts[cid]
           END AS value_label,
           c.dates[cid] AS value_date
    FROM cur JOIN tag_column c ON c.run_id = cur.run_id JOIN tag t ON t.id = c.tag_id
  )
  SELECT b.code, COALESCE(rt.value_num, b.value_num),
         CASE WHEN rt.tag_id IS NULL THEN b.value_label
              WHEN t.value_type = 'BOOLEAN' THEN CASE WHEN rt.value_num = 1 THEN 'true' WHEN rt.value_num = 0 THEN 'false' END
              ELSE t.enum_values -> rt.value_num::int ->> 'value' END,
         b.value_date
  FROM batch b JOIN tag t ON t.id = b.tag_id LEFT JOIN rt ON rt.tag_id = b.tag_id
  WHERE COALESCE(rt.value_num, b.value_num) IS NOT NULL OR b.value_label IS NOT NULL
  UNION ALL
  SELECT t.code, rt.value_num, CASE WHEN rt.value_num = 1 THEN 'true' WHEN rt.value_num = 0 THEN 'false' END, NULL
  FROM rt JOIN tag t ON t.id = rt.tag_id
  WHERE NOT EXISTS (SELECT 1 FROM batch b WHERE b.tag_id = rt.tag_id) AND rt.value_num IS NOT NULL
$$;
