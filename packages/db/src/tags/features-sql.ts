/**
 * SQL of the features. Each feature is an aggregate over a base relation of its source table
 * plus the condition that selects its rows. The platform computes ALL features of a source in
 * one pass (`sourcePassSql`: one GROUP BY customer_id with a FILTER per feature); the baseline
 * computes each on its own (`featureSubquerySql`). Both use the same aggregate expressions, so a
 * feature means one thing. Sums are exact (numeric, rounded once to float8), so they do not
 * depend on the order rows are added in. COPY cannot take bind parameters: every value written into the
 * SQL here is a validated number, date or a member of a closed enum (see feature-spec.ts).
 */
import { BANK_TIME_ZONE, DAY_MS, monthStart, type AsOf } from "./as-of";
import { featureSource, featureType, type FeatureSource, type FeatureSpec } from "./feature-spec";

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (xs: readonly string[]) => xs.map(q).join(", ");
const ts = (d: Date) => `${q(d.toISOString())}::timestamptz`;
const date = (iso: string) => `DATE ${q(iso)}`;
const num = (n: number) => {
  if (!Number.isFinite(n)) throw new Error("non-finite number in feature SQL");
  return String(n);
};

export interface FeatureSql {
  source: FeatureSource;
  /** Rows of the base relation this feature reads (null = all). */
  where: string | null;
  /**
   * The value: for aggregated sources an aggregate whose rows are restricted by `where` (a FILTER
   * clause in a one-pass query, null when the rows are already filtered); for one-row-per-customer
   * sources a row expression.
   */
  value(where: string | null): string;
  /** Earliest time (or date) of facts the feature reads, to bound a source pass. */
  since?: Date | string;
}

/** ` FILTER (WHERE a AND b)` of the conditions given, "" when there are none. */
const filter = (...conds: (string | null)[]) => {
  const cs = conds.filter((c): c is string => !!c);
  return cs.length ? ` FILTER (WHERE ${cs.join(" AND ")})` : "";
};

export function featureSql(f: FeatureSpec, at: AsOf): FeatureSql {
  const D = date(at.date);
  switch (f.kind) {
    case "txnAgg": {
      const since = new Date(at.at.getTime() - f.days * DAY_MS);
      const conds = [`type IN (${list(f.types)})`, `txn_time >= ${ts(since)}`];
      if (f.channels) conds.push(`channel IN (${list(f.channels)})`);
      if (f.minAmount !== undefined) conds.push(`amount >= ${num(f.minAmount)}`);
      const where = conds.join(" AND ");
      const value = (w: string | null) => {
        const F = filter(w);
        switch (f.agg) {
          case "sum":
            return `(sum(amount)${F})::float8`;
          case "count":
            return `(count(*)${F})::float8`;
          case "max":
            return `(max(amount)${F})::float8`;
          case "avg":
            return `(sum(amount)${F})::float8 / (count(*)${F})`;
        }
      };
      return { source: "transaction", where, value, since };
    }
    case "txnRecency": {
      const since = new Date(at.at.getTime() - f.days * DAY_MS);
      const conds = [`txn_time >= ${ts(since)}`];
      if (f.types) conds.unshift(`type IN (${list(f.types)})`);
      return { source: "transaction", where: conds.join(" AND "), since, value: (w) => `(${D} - ((max(txn_time)${filter(w)}) AT TIME ZONE ${q(BANK_TIME_ZONE)})::date)::float8` };
    }
    case "eventCount":
    case "eventRecency": {
      const since = new Date(at.at.getTime() - f.days * DAY_MS);
      const conds = [`event_time >= ${ts(since)}`];
      if (f.types) conds.unshift(`event_type IN (${list(f.types)})`);
      const value =
        f.kind === "eventCount"
          ? (w: string | null) => `(count(*)${filter(w)})::float8`
          : (w: string | null) => `(${D} - ((max(event_time)${filter(w)}) AT TIME ZONE ${q(BANK_TIME_ZONE)})::date)::float8`;
      return { source: "app_event", where: conds.join(" AND "), since, value };
    }
    case "holding": {
      const cat = `category IN (${list(f.categories)})`;
      const days = f.days ?? 30;
      switch (f.measure) {
        case "count":
          return { source: "holding", where: cat, value: (w) => `(count(*)${filter(w)})::float8` };
        case "amount":
          return { source: "holding", where: cat, value: (w) => `(sum(amount)${filter(w)})::float8` };
        case "maturing":
          return { source: "holding", where: `${cat} AND maturity_date BETWEEN ${D} AND ${D} + ${num(days)}`, value: (w) => `(count(*)${filter(w)})::float8` };
        case "nextMaturity":
          return { source: "holding", where: `${cat} AND maturity_date >= ${D}`, value: (w) => `((min(maturity_date)${filter(w)}) - DATE '1970-01-01')::float8` };
        case "maxRisk":
          return { source: "holding", where: cat, value: (w) => `(max(risk_level)${filter(w)})::float8` };
      }
      break;
    }
    case "balance": {
      const since = monthStart(at.date, f.months - 1);
      const where = `month >= ${date(since)}`;
      const col = f.measure;
      // One row per customer and month: the latest is the newest month that has a row — a
      // COALESCE over per-month FILTERs, much cheaper than an ordered aggregate per customer.
      const months = Array.from({ length: f.months }, (_, k) => [monthStart(at.date, k), monthStart(at.date, k - 1)] as const);
      const value = (w: string | null) => {
        const F = filter(w);
        switch (f.stat) {
          case "latest":
            return `(COALESCE(${months.map(([from, to]) => `max(${col})${filter(w, `month >= ${date(from)} AND month < ${date(to)}`)}`).join(", ")}))::float8`;
          case "avg":
            return `(sum(${col})${F})::float8 / (count(*)${F})`;
          case "max":
            return `(max(${col})${F})::float8`;
          case "min":
            return `(min(${col})${F})::float8`;
        }
      };
      return { source: "monthly_balance", where, value, since };
    }
    case "risk": {
      const value = () => {
        switch (f.field) {
          case "level":
            return "level::text";
          case "rank":
            return "substr(level::text, 2)::float8";
          case "expired":
            return `(expires_at <= ${ts(at.at)})`;
          case "daysToExpiry":
            return `((expires_at AT TIME ZONE ${q(BANK_TIME_ZONE)})::date - ${D})::float8`;
        }
      };
      return { source: "risk_assessment", where: null, value };
    }
    case "customer": {
      const month = Number(at.date.slice(5, 7));
      const value = () => {
        switch (f.field) {
          case "age":
            return `date_part('year', age(${D}, birth_date))::float8`;
          case "tenureDays":
            return `(${D} - opened_at)::float8`;
          case "birthdayThisMonth":
            return `(extract(month FROM birth_date) = ${month})`;
          case "hasRm":
            return "(rm_id IS NOT NULL)";
          case "gender":
          case "status":
          case "type":
            return `${f.field}::text`;
          case "province":
          case "city":
          case "occupation":
            return f.field;
        }
      };
      return { source: "customer", where: null, value };
    }
  }
  throw new Error(`unknown feature ${JSON.stringify(f)}`);
}

/** Sources with one row per customer: no aggregation. */
const ROW_SOURCES: ReadonlySet<FeatureSource> = new Set(["customer", "risk_assessment"]);

/**
 * The base relation of a source as of `at`, for customers 1..maxId. `since` bounds event-like
 * facts from below (the earliest window of the features read in this pass).
 */
export function sourceBase(source: FeatureSource, at: AsOf, maxId: number, since?: Date | string, sampleEvery = 1): string {
  // A sample (previews) keeps every k-th customer id: the same customers in every pass.
  const sample = sampleEvery > 1 ? ` AND customer_id % ${num(Math.trunc(sampleEvery))} = 0` : "";
  const idCap = `customer_id <= ${num(maxId)}${sample}`;
  switch (source) {
    case "customer":
      return `SELECT id AS customer_id, * FROM customer WHERE id <= ${num(maxId)}${sample.replace("customer_id", "id")}`;
    case "transaction":
      return `SELECT customer_id, txn_time, type, channel, amount FROM transaction
        WHERE ${idCap} AND txn_time < ${ts(at.at)}${since instanceof Date ? ` AND txn_time >= ${ts(since)}` : ""}`;
    case "app_event":
      return `SELECT customer_id, event_time, event_type FROM app_event
        WHERE ${idCap} AND event_time < ${ts(at.at)}${since instanceof Date ? ` AND event_time >= ${ts(since)}` : ""}`;
    case "holding":
      // What is held now: active holdings and open accounts, each with its product's category.
      return `SELECT h.customer_id, p.category::text AS category, h.amount, h.maturity_date, p.risk_level
          FROM holding h JOIN product p ON p.id = h.product_id WHERE h.status = 'ACTIVE' AND h.${idCap}
        UNION ALL
        SELECT a.customer_id, a.kind::text, a.balance, a.maturity_date, p.risk_level
          FROM account a LEFT JOIN product p ON p.id = a.product_id WHERE a.status <> 'CLOSED' AND a.${idCap}`;
    case "monthly_balance":
      return `SELECT customer_id, month, aum, deposit, wealth, loan FROM monthly_balance
        WHERE ${idCap} AND month <= ${date(at.date)}${typeof since === "string" ? ` AND month >= ${date(since)}` : ""}`;
    case "risk_assessment":
      // The latest assessment made before the as-of time.
      return `SELECT DISTINCT ON (customer_id) customer_id, level, expires_at FROM risk_assessment
        WHERE ${idCap} AND assessed_at < ${ts(at.at)} ORDER BY customer_id, assessed_at DESC, id DESC`;
  }
}

function earliest(xs: (Date | string | undefined)[]): Date | string | undefined {
  let best: Date | string | undefined;
  for (const x of xs) {
    if (x === undefined) return undefined; // one feature reads everything: no bound
    if (best === undefined || (x instanceof Date && best instanceof Date ? x < best : String(x) < String(best))) best = x;
  }
  return best;
}

/**
 * One SELECT computing every given feature of one source: `customer_id` then one column per
 * feature, in order. Types: float8 for num/date, bool, text for labels.
 */
export function sourcePassSql(source: FeatureSource, features: FeatureSpec[], at: AsOf, maxId: number, sampleEvery = 1): string {
  const sqls = features.map((f) => {
    if (featureSource(f) !== source) throw new Error(`feature ${f.kind} is not read from ${source}`);
    return featureSql(f, at);
  });
  const cols = ["customer_id", ...sqls.map((s, k) => `${s.value(ROW_SOURCES.has(source) ? null : s.where)} AS f${k}`)].join(", ");
  if (ROW_SOURCES.has(source)) return `SELECT ${cols} FROM (${sourceBase(source, at, maxId, undefined, sampleEvery)}) b`;
  const base = sourceBase(source, at, maxId, earliest(sqls.map((s) => s.since)), sampleEvery);
  return `SELECT ${cols} FROM (${base}) b GROUP BY customer_id`;
}

/** One feature on its own (the baseline's way): `customer_id, v` for customers with facts. */
export function featureSubquerySql(f: FeatureSpec, at: AsOf, maxId: number): string {
  const s = featureSql(f, at);
  const source = featureSource(f);
  if (ROW_SOURCES.has(source)) return `SELECT customer_id, ${s.value(null)} AS v FROM (${sourceBase(source, at, maxId)}) b`;
  return `SELECT customer_id, ${s.value(null)} AS v FROM (${sourceBase(source, at, maxId, s.since)}) b${s.where ? ` WHERE ${s.where}` : ""} GROUP BY customer_id`;
}

/** The SQL type a feature's column is written in. */
export function featureSqlType(f: FeatureSpec): "float8" | "bool" | "text" {
  const t = featureType(f);
  return t === "bool" ? "bool" : t === "label" ? "text" : "float8";
}
