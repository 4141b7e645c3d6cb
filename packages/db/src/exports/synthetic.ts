/**
 * Cheap synthetic customers for the export benchmark and tests: millions of `customer` rows (and
 * one demand-deposit account each) written by set-based SQL on top of a small seeded bank (its org
 * tree, staff and current tag run), plus the current run's AUM_LATEST / RISK_LEVEL arrays extended
 * to cover them. Deterministic: the same count gives the same rows. Names and cities include CJK,
 * emoji and formula-like text (`=…`, `+…`, `-…`, `@…`, tab, CR) so writers meet them at scale.
 */
import type pg from "pg";

/** Customers `from..to` (inclusive) added after the seeded ones; ids are dense. */
export async function synthesizeCustomers(client: pg.ClientBase, count: number): Promise<{ from: number; to: number }> {
  const { rows } = await client.query<{ max: number | null }>("SELECT max(id) AS max FROM customer");
  const from = (rows[0]?.max ?? 0) + 1;
  const to = from + count - 1;
  if (count < 1) return { from, to: from - 1 };
  await client.query(`
    WITH units AS (
      SELECT o.id, o.path, row_number() OVER (ORDER BY o.code) - 1 AS k, count(*) OVER () AS n
      FROM org_unit o WHERE o.level = 'SUB_BRANCH'
    ), rms AS (
      SELECT u.id, u.org_unit_id, row_number() OVER (PARTITION BY u.org_unit_id ORDER BY u.username) - 1 AS k,
             count(*) OVER (PARTITION BY u.org_unit_id) AS n
      FROM staff_user u WHERE u.role = 'RM'
    ), g AS (
      SELECT i, abs(hashint4(i)) AS h FROM generate_series(${from}::int, ${to}::int) AS i
    )
    INSERT INTO customer (id, customer_no, name, gender, cert_no, phone, city, org_unit_id, org_path, rm_id, opened_at)
    SELECT g.i,
           'C' || lpad(g.i::text, 10, '0'),
           CASE
             WHEN g.i % 997 = 0 THEN '=HYPERLINK("http://x.test","点我")'
             WHEN g.i % 499 = 0 THEN '王😀' || (g.h % 10)
             WHEN g.i % 251 = 0 THEN 'Li, "Lee"' || chr(10) || 'Jr'
             ELSE (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + g.h % 10]
                  || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳'])[1 + (g.h / 10) % 12]
                  || CASE WHEN g.h % 3 = 0 THEN (ARRAY['华','明','平','刚','英'])[1 + (g.h / 120) % 5] ELSE '' END
           END,
           (ARRAY['M','F']::"Gender"[])[1 + g.h % 2],
           '1101' || lpad((g.h % 100)::text, 2, '0') || (1960 + g.h % 40)::text || '0101' || lpad((g.i % 10000)::text, 4, '0'),
           '13' || lpad((g.h % 1000000000)::text, 9, '0'),
           CASE g.i % 7 WHEN 0 THEN '+北京' WHEN 1 THEN '-上海' WHEN 2 THEN '@深圳' WHEN 3 THEN chr(9) || '广州' WHEN 4 THEN chr(13) || '杭州' ELSE '成都' END,
           u.id, u.path, r.id,
           DATE '2010-01-01' + (g.h % 5000)
    FROM g
    JOIN units u ON u.k = g.i % u.n
    LEFT JOIN rms r ON r.org_unit_id = u.id AND r.k = g.i % r.n`);
  await client.query(`
    INSERT INTO account (account_no, customer_id, kind, balance, opened_at, status)
    SELECT '622209' || lpad(i::text, 13, '0'), i, 'DEMAND_DEPOSIT', (abs(hashint4(i)) % 1000000) / 100.0, DATE '2015-01-01', 'ACTIVE'
    FROM generate_series(${from}::int, ${to}::int) AS i`);
  await client.query(`SELECT setval('customer_id_seq', ${to})`);
  return { from, to };
}

/**
 * Extends the current run's AUM_LATEST and RISK_LEVEL columns over customers `from..to`, so tag
 * columns of the export have values for the synthetic customers (every 10th has no AUM).
 */
export async function synthesizeTagValues(client: pg.ClientBase, range: { from: number; to: number }): Promise<void> {
  const { from, to } = range;
  await client.query(`
    UPDATE tag_column c SET nums = c.nums[1:${from - 1}] || array_fill(NULL::float8, ARRAY[greatest(${from - 1} - coalesce(array_length(c.nums, 1), 0), 0)])
      || (SELECT array_agg(CASE WHEN i % 10 = 0 THEN NULL ELSE round((abs(hashint4(i * 7)) % 100000000) / 100.0, 2) END ORDER BY i) FROM generate_series(${from}::int, ${to}::int) i)
    FROM tag t, tag_current_run p WHERE t.id = c.tag_id AND t.code = 'AUM_LATEST' AND c.run_id = p.run_id`);
  await client.query(`
    UPDATE tag_column c SET codes = c.codes[1:${from - 1}] || array_fill(NULL::int2, ARRAY[greatest(${from - 1} - coalesce(array_length(c.codes, 1), 0), 0)])
      || (SELECT array_agg((abs(hashint4(i * 13)) % 5)::int2 ORDER BY i) FROM generate_series(${from}::int, ${to}::int) i)
    FROM tag t, tag_current_run p WHERE t.id = c.tag_id AND t.code = 'RISK_LEVEL' AND c.run_id = p.run_id`);
}
