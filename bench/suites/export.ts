/**
 * `export` suite: a segment export of 10 masked columns (customer no., name, mobile, ID number,
 * card number, branch, RM, customer since, AUM, risk level).
 *
 * Case `csv`: 5 × --scale rows; case `xlsx`: --scale rows (Excel's limit is 1,048,576).
 * - baseline: the first way one writes it — Prisma `findMany` in pages of 10,000 members (with the
 *   org unit, RM and lowest demand account included) into `csv-stringify` / exceljs's streaming
 *   `WorkbookWriter` (its in-memory `Workbook` needs ~15 GB at 1M rows);
 * - platform: the product's streaming path (packages/core/src/exports, the call the worker's
 *   export job makes): ordered member chunks → the export cell store's current blocks (masked,
 *   neutralised cells built ahead by the refresh job; built here first, from nothing, and its time
 *   printed) or, for blocks not current, binary `COPY (SELECT …) TO STDOUT` of the rows → cells
 *   encoded as bytes (encode.ts) → streaming CSV / XLSX writer → the job's file stream, which
 *   takes the file's SHA-256 as it writes.
 * Libraries only one side uses are imported where they are used, so neither child carries the
 * other's. Both read the tag columns (AUM, risk level) the same way: the current tag run's typed arrays.
 * Every variant runs in its own child process, so its peak RSS (the kernel's high-water mark of
 * that process) is its own; connections are opened before the clock starts (the platform's second
 * one reads tag windows ahead, as the export job's does), and only the baseline
 * gets a large heap. Both files are parsed back (csv-parse, the tests' XLSX reader) and the SHA-256 of
 * their cells must be equal. The platform also runs on a fifth of the rows: its peak RSS at both
 * sizes shows memory staying flat as rows grow.
 *
 * The customers are synthesised by set-based SQL on top of a 200-customer seeded bank (its org
 * tree, staff and tag run), with CJK, emoji and formula-like names and cities among them; the
 * prepared bank is cached as a template between runs (keyed by customer count, seed and synthetic.ts).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { mask } from "../../packages/core/src/auth/masking";
import { numberCell, textCell, type Cell } from "../../packages/core/src/exports/cells";
import { DEFAULT_COLUMNS, planExport } from "../../packages/core/src/exports/columns";
import { HashedFileStream } from "../../packages/core/src/exports/hashed-file";
import { streamExport } from "../../packages/core/src/exports/stream-export";
import { RoaringBitmap32 } from "../../packages/core/src/segments/bitmap";
import { createDb } from "../../packages/db/src/client";
import { pgConfigFromUrl } from "../../packages/db/src/pg-config";
import { connectPg, readRunColumns } from "../../packages/db/src/tags/storage";
import { postgresCpuMs, processCpuMs } from "../lib/cpu";
import type { Suite, SuiteContext } from "../lib/suite";

const SEEDED = 200;
const CSV_FACTOR = 5;
const PAGE = 10_000;
const TARGETS = { csv: { ms: 5_000, rssMb: 200, rowsPerScale: CSV_FACTOR }, xlsx: { ms: 8_000, rssMb: 300, rowsPerScale: 1 } } as const;

type Format = "CSV" | "XLSX";
type Variant = "baseline" | "platform";
interface ChildArgs {
  url: string;
  variant: Variant;
  format: Format;
  rows: number;
  file: string;
}
interface ChildResult {
  rows: number;
  wall_ms: number;
  peak_rss_mb: number;
  /** CPU of the child (all its threads) and of the PostgreSQL processes during the export. */
  node_cpu_ms: number;
  server_cpu_ms: number | null;
}

/** The segment: every customer but each 50th (so the member filter is a bitset, not a range). */
function membersOf(total: number, rows: number): RoaringBitmap32 {
  const all = new RoaringBitmap32();
  all.addRange(1, total + 1);
  for (let i = 50; i <= total; i += 50) all.remove(i);
  return new RoaringBitmap32(all.rangeUint32Array(0, rows));
}

async function totalCustomers(url: string): Promise<number> {
  const c = new pg.Client(pgConfigFromUrl(url));
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>("SELECT max(id) AS n FROM customer")).rows[0]!.n);
  } finally {
    await c.end();
  }
}

// ───────────────────────── the two variants (run in a child process) ─────────────────────────

type Conn = { db: ReturnType<typeof createDb>; client: pg.Client; aheadClient?: pg.Client };

async function platform(args: ChildArgs, members: RoaringBitmap32, { db, client, aheadClient }: Conn): Promise<number> {
  // the export job's file: SHA-256 and size taken as it is written
  const out = new HashedFileStream(args.file);
  const plan = await planExport(db, DEFAULT_COLUMNS, "zh-CN");
  const { rows } = await streamExport({ client, aheadClient, members, plan, masked: true, format: args.format, out });
  out.end();
  await once(out, "finish");
  return rows;
}

async function baseline(args: ChildArgs, members: RoaringBitmap32, { db, client }: Conn): Promise<number> {
  {
    const plan = await planExport(db, DEFAULT_COLUMNS, "zh-CN");
    const tagIds = plan.tags.map((t) => t.id);
    const cols = await readRunColumns(client, { tagIds, size: members.maximum() + 1 });
    const aum = cols.get(plan.tags.find((t) => t.code === "AUM_LATEST")!.id)!.column;
    const risk = cols.get(plan.tags.find((t) => t.code === "RISK_LEVEL")!.id)!.column;
    const header = plan.columns.map((c) => c.header);
    const toRow = (c: {
      id: number;
      customerNo: string;
      name: string;
      phone: string | null;
      certNo: string | null;
      openedAt: Date;
      orgUnit: { name: string };
      rm: { name: string } | null;
      accounts: { accountNo: string }[];
    }): Cell[] => {
      const code = risk.type === "label" ? risk.data[c.id]! : -1;
      return [
        textCell(c.customerNo),
        textCell(mask("name", c.name)),
        textCell(mask("phone", c.phone)),
        textCell(mask("certNo", c.certNo)),
        textCell(mask("cardNo", c.accounts[0]?.accountNo)),
        textCell(c.orgUnit.name),
        textCell(c.rm?.name),
        textCell(c.openedAt.toISOString().slice(0, 10)),
        numberCell(aum.type === "num" ? aum.data[c.id] : null),
        code >= 0 && risk.type === "label" ? textCell(risk.dict[code]) : null,
      ];
    };
    const pages = async function* () {
      for (let offset = 0; offset < members.size; offset += PAGE) {
        const ids = Array.from(members.rangeUint32Array(offset, PAGE));
        yield await db.customer.findMany({
          where: { id: { in: ids } },
          orderBy: { id: "asc" },
          select: {
            id: true,
            customerNo: true,
            name: true,
            phone: true,
            certNo: true,
            openedAt: true,
            orgUnit: { select: { name: true } },
            rm: { select: { name: true } },
            accounts: { where: { kind: "DEMAND_DEPOSIT" }, orderBy: { accountNo: "asc" }, take: 1, select: { accountNo: true } },
          },
        });
      }
    };
    let rows = 0;
    if (args.format === "CSV") {
      const { stringify } = await import("csv-stringify");
      const csv = stringify({ bom: true, record_delimiter: "\r\n" });
      const done = once(csv.pipe(createWriteStream(args.file)), "finish");
      csv.write(header);
      for await (const page of pages()) {
        for (const c of page) {
          if (!csv.write(toRow(c).map((v) => (v === null ? "" : v)))) await once(csv, "drain");
          rows++;
        }
      }
      csv.end();
      await done;
    } else {
      // exceljs's streaming writer (a whole in-memory Workbook of 1M rows needs ~15 GB)
      const { default: ExcelJS } = await import("exceljs");
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: args.file, useSharedStrings: true, useStyles: false });
      const sheet = workbook.addWorksheet("Export");
      sheet.addRow(header).commit();
      for await (const page of pages()) {
        for (const c of page) {
          sheet.addRow(toRow(c).map((v) => (v === null ? undefined : v))).commit();
          rows++;
        }
      }
      sheet.commit();
      await workbook.commit();
    }
    return rows;
  }
}

async function child(args: ChildArgs): Promise<void> {
  const members = membersOf(await totalCustomers(args.url), args.rows);
  // Connections are up before the clock starts (a worker's are): the time is the export's. The
  // platform's are the export job's (connectPg): the rows' (`copyReads`) and the one reading tag windows ahead.
  const platformRun = args.variant === "platform";
  const conn: Conn = {
    db: createDb(args.url, { max: 2 }),
    client: platformRun ? await connectPg(args.url, { copyReads: true }) : await connectPg(args.url),
    aheadClient: platformRun ? await connectPg(args.url) : undefined,
  };
  await conn.db.$connect();
  const server0 = postgresCpuMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rows = await (args.variant === "platform" ? platform : baseline)(args, members, conn);
  const wall = performance.now() - t0;
  const node_cpu_ms = processCpuMs(cpu0);
  const server1 = postgresCpuMs();
  await conn.client.end();
  await conn.aheadClient?.end();
  await conn.db.$disconnect();
  const result: ChildResult = {
    rows,
    wall_ms: Math.round(wall),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    node_cpu_ms,
    server_cpu_ms: server0 === null || server1 === null ? null : server1 - server0,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// ───────────────────────────────────────── the parent ─────────────────────────────────────────

const THIS_FILE = fileURLToPath(import.meta.url);

function runChild(args: ChildArgs, log: (m: string) => void): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // Only the baseline needs a large heap (exceljs holds the whole workbook); a raised heap limit
    // also lets V8 defer collection, which would inflate the streaming path's peak RSS.
    const heap = args.variant === "baseline" ? ["--max-old-space-size=12288"] : [];
    const p = spawn(process.execPath, [...heap, "--import", "tsx", THIS_FILE, "--export-child", JSON.stringify(args)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.on("error", reject);
    p.on("exit", (code, signal) => {
      const line = out.trim().split("\n").at(-1);
      if (code === 0 && line) resolve(JSON.parse(line) as ChildResult);
      else {
        log(`  ${args.variant} ${args.format} child exited with ${code ?? signal}`);
        reject(new Error(`${args.variant} ${args.format} failed (exit ${code ?? signal})`));
      }
    });
  });
}

/** What decides the prepared bank besides the seed generator: the synthetic customers' SQL. */
const SYNTHETIC_SOURCE = fileURLToPath(new URL("../../packages/db/src/exports/synthetic.ts", import.meta.url));

async function prepare(ctx: SuiteContext, customers: number): Promise<string> {
  const key = `export:${customers}:${ctx.seed}:${createHash("sha1").update(await readFile(SYNTHETIC_SOURCE)).digest("hex").slice(0, 12)}`;
  // Cached as a template between runs (bench/lib/temp-db.ts): 5M synthetic customers take minutes.
  return ctx.databases.cached("bank", key, async (url) => {
    // imported here, not at the top: the children measure their memory and need none of this
    const { seedBank } = await import("../../packages/db/src/seed/index");
    const { seedTagCenter } = await import("../../packages/core/src/tags/seed");
    const { synthesizeCustomers, synthesizeTagValues } = await import("../../packages/db/src/exports/synthetic");
    ctx.log(`seeding a ${SEEDED}-customer bank and its tag run`);
    const { asOf } = await seedBank(url, { customers: SEEDED, seed: ctx.seed, asOf: "2026-06-30" });
    await seedTagCenter(url, { asOf });
    const client = new pg.Client(pgConfigFromUrl(url));
    await client.connect();
    try {
      // The bench's own database: secondary indexes the export does not use only slow the load down.
      for (const idx of ["customer_cert_no_idx", "customer_phone_idx", "customer_phone_tail", "customer_name_prefix", "customer_org_path_idx", "customer_rm_id_idx"]) {
        await client.query(`DROP INDEX IF EXISTS ${idx}`);
      }
      ctx.log(`synthesising ${customers - SEEDED} customers with one demand account each`);
      const t0 = performance.now();
      const range = await synthesizeCustomers(client, customers - SEEDED);
      await synthesizeTagValues(client, range);
      await client.query("VACUUM ANALYZE customer");
      await client.query("VACUUM ANALYZE account");
      // filled by account's triggers while the accounts went in; vacuumed for index-only reads
      await client.query("VACUUM ANALYZE customer_card");
      ctx.log(`  ${Math.round(performance.now() - t0)} ms`);
    } finally {
      await client.end();
    }
  });
}

/**
 * Builds the export cell store of the run's bank (the refresh job's work, done once for every
 * export after the customers change): its time and size are printed with the platform's figures.
 * Idempotent: the second case finds it current.
 */
async function buildStore(ctx: SuiteContext, url: string): Promise<{ store_build_ms: number; store_mb: number }> {
  const { refreshCellStore } = await import("../../packages/core/src/exports/cell-store");
  const client = await connectPg(url);
  try {
    const t0 = performance.now();
    const built = await refreshCellStore(client);
    const ms = Math.round(performance.now() - t0);
    const size = await client.query<{ b: string }>("SELECT pg_total_relation_size('export_cell_block')::text AS b");
    if (built?.blocks) ctx.log(`export cell store: ${built.blocks} blocks built in ${ms} ms`);
    return { store_build_ms: ms, store_mb: Math.round(Number(size.rows[0]!.b) / 1048576) };
  } finally {
    await client.end();
  }
}

async function digestOf(file: string, format: Format) {
  // loaded here, not at the top: the children measure their memory and should not carry exceljs
  const { csvRows, digestRows, xlsxRows } = await import("../../packages/core/src/exports/testing/parse-back");
  return digestRows(format === "CSV" ? csvRows(file) : xlsxRows(file));
}

interface CaseOutcome {
  speedup: number;
  equal: boolean;
  rows: number;
  platformMs: number;
  platformRss: number;
}

async function runCase(ctx: SuiteContext, url: string, dir: string, format: Format): Promise<CaseOutcome> {
  const name = format.toLowerCase() as "csv" | "xlsx";
  const rows = ctx.scale * TARGETS[name].rowsPerScale;
  const files = { baseline: path.join(dir, `baseline.${name}`), platform: path.join(dir, `platform.${name}`), small: path.join(dir, `small.${name}`) };

  const fifth = Math.max(1, Math.floor(rows / 5));
  const store = await buildStore(ctx, url);
  ctx.log(`${name}: platform on ${fifth} rows (memory at a fifth of the size)`);
  const small = await runChild({ url, variant: "platform", format, rows: fifth, file: files.small }, ctx.log);
  ctx.log(`${name}: platform on ${rows} rows`);
  const plat = await runChild({ url, variant: "platform", format, rows, file: files.platform }, ctx.log);
  ctx.log(`${name}: baseline on ${rows} rows`);
  const base = await runChild({ url, variant: "baseline", format, rows, file: files.baseline }, ctx.log);

  ctx.log(`${name}: parsing both files back`);
  const [bd, pd] = [await digestOf(files.baseline, format), await digestOf(files.platform, format)];
  const equal = bd.digest === pd.digest && bd.rows === pd.rows && pd.rows === plat.rows + 1;
  if (!equal) ctx.log(`${name}: DIFFERENT baseline ${bd.rows} rows ${bd.digest} / platform ${pd.rows} rows ${pd.digest}`);
  const mb = async (f: string) => Math.round(((await stat(f)).size / 1048576) * 10) / 10;
  const target = TARGETS[name];
  /** CPU per row, each side, in µs: what the code costs whatever the neighbours on the box do. */
  const perRow = (r: ChildResult) => ({
    node_cpu_us_per_row: Math.round((r.node_cpu_ms * 1000 * 100) / r.rows) / 100,
    server_cpu_us_per_row: r.server_cpu_ms === null ? null : Math.round((r.server_cpu_ms * 1000 * 100) / r.rows) / 100,
  });
  ctx.emit({
    case: name,
    variant: "baseline",
    scale: ctx.scale,
    runs: 1,
    rows: base.rows,
    wall_ms: base.wall_ms,
    per_s: Math.round((base.rows / base.wall_ms) * 1000),
    peak_rss_mb: base.peak_rss_mb,
    file_mb: await mb(files.baseline),
    ...perRow(base),
  });
  ctx.emit({
    case: name,
    variant: "platform",
    scale: ctx.scale,
    runs: 1,
    rows: plat.rows,
    wall_ms: plat.wall_ms,
    per_s: Math.round((plat.rows / plat.wall_ms) * 1000),
    peak_rss_mb: plat.peak_rss_mb,
    ...perRow(plat),
    file_mb: await mb(files.platform),
    rows_fifth: small.rows,
    wall_ms_fifth: small.wall_ms,
    peak_rss_mb_fifth: small.peak_rss_mb,
    target_ms: target.ms,
    target_rss_mb: target.rssMb,
    ...store,
    sha256: pd.digest.slice(0, 16),
  });
  return { speedup: Math.round((base.wall_ms / plat.wall_ms) * 10) / 10, equal, rows: plat.rows, platformMs: plat.wall_ms, platformRss: plat.peak_rss_mb };
}

export const exportSuite: Suite = {
  description: "segment export, 10 masked columns: findMany + csv-stringify / exceljs Workbook vs streaming COPY writers (cases csv, xlsx)",
  defaultScale: 100_000,
  async run(ctx) {
    const only = ctx.args.case;
    if (only !== undefined && only !== "csv" && only !== "xlsx") throw new Error("--case=csv or --case=xlsx (default: both)");
    // every 50th customer is not a member: enough customers for the largest case's rows
    const url = await prepare(ctx, Math.ceil((ctx.scale * (only === "xlsx" ? 1 : CSV_FACTOR) * 50) / 49) + SEEDED);
    const dir = await mkdtemp(path.join(tmpdir(), "mkt-bench-export-"));
    try {
      const csv = only === "xlsx" ? null : await runCase(ctx, url, dir, "CSV");
      const xlsx = only === "csv" ? null : await runCase(ctx, url, dir, "XLSX");
      const first = (csv ?? xlsx)!;
      return {
        speedup: first.speedup,
        checked: [csv && `CSV ${csv.rows} rows`, xlsx && `XLSX ${xlsx.rows} rows`].filter(Boolean).join(" and ") + " parsed back, SHA-256 of cells equal to the baseline",
        ok: (csv?.equal ?? true) && (xlsx?.equal ?? true),
        ...(csv && { csv_wall_ms: csv.platformMs, csv_peak_rss_mb: csv.platformRss }),
        ...(xlsx && { xlsx_speedup: xlsx.speedup, xlsx_wall_ms: xlsx.platformMs, xlsx_peak_rss_mb: xlsx.platformRss }),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

if (process.argv[2] === "--export-child" && import.meta.url === pathToFileURL(process.argv[1]!).href) {
  child(JSON.parse(process.argv[3]!) as ChildArgs).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    },
  );
}
