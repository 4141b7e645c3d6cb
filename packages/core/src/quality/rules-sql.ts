/**
 * The data dictionary's value rules as SQL expressions over source_record's raw columns, so the
 * data-quality report judges a whole source in one pass inside PostgreSQL. Each mirrors the
 * TypeScript rule it names (identity/normalize.ts, import/row-schema.ts); the quality test checks
 * both against the same values. The rules take an already normalised column (normalise once per
 * row, then test): repeating a normalisation inside every substr() of a checksum costs ~100×.
 */

/** Full-width digits and Latin letters, and their half-width forms, for translate(). */
const FULL = String.fromCharCode(...Array.from({ length: 94 }, (_, i) => 0xff01 + i));
const HALF = String.fromCharCode(...Array.from({ length: 94 }, (_, i) => 0x21 + i));

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Plain ASCII (one byte per character in UTF-8): the common case every rule takes a fast path for. */
function asciiSql(expr: string): string {
  return `(octet_length(${expr}) = char_length(${expr}))`;
}

/**
 * toHalfWidth(): full-width ASCII to half-width, the ideographic space to a space. translate()
 * with a 95-character map is ten times slower than the rest of a rule, so ASCII skips it.
 */
export function halfWidthSql(expr: string): string {
  return `(CASE WHEN ${asciiSql(expr)} THEN ${expr} ELSE translate(${expr}, ${lit(`${FULL}\u3000`)}, ${lit(`${HALF} `)}) END)`;
}

/** normalizeCertNo(): half-width, no whitespace, upper case. */
export function certNormSql(expr: string): string {
  return `(CASE WHEN ${asciiSql(expr)} THEN upper(translate(${expr}, E' \\t\\n\\r\\f' || chr(11), ''))
    ELSE upper(regexp_replace(${halfWidthSql(expr)}, '\\s', '', 'g')) END)`;
}

/** normalizePhone(): half-width, no spaces/dashes/dots/brackets, no +86 / 0086 / 86 prefix. */
export function phoneNormSql(expr: string): string {
  const compact = `regexp_replace(${halfWidthSql(expr)}, '[\\s\\-().]', '', 'g')`;
  const full = `regexp_replace(regexp_replace(${compact}, '^(\\+86|0086)', ''), '^86(1\\d{10})$', '\\1')`;
  // Most values are already 11 plain digits: one match instead of three rewrites.
  return `(CASE WHEN ${expr} ~ '^\\d{11}$' THEN ${expr} ELSE ${full} END)`;
}

/** A real calendar date between 1900-01-01 and today, given its year, month and day as text. */
function realPastDateSql(y: string, m: string, d: string): string {
  return `(CASE WHEN ${m}::int BETWEEN 1 AND 12 AND ${y}::int >= 1900 AND ${d}::int >= 1 THEN
      ${d}::int <= extract(day FROM (make_date(${y}::int, ${m}::int, 1) + interval '1 month' - interval '1 day'))
      AND make_date(${y}::int, ${m}::int, 1) <= current_date
      AND (make_date(${y}::int, ${m}::int, 1) + (${d}::int - 1)) <= current_date
    ELSE false END)`;
}

/** residentIdProblem() === null for a normalised value: format, real birth date, GB 11643 checksum. */
export function validResidentIdSql(c: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.map((w, i) => `substr(${c}, ${i + 1}, 1)::int * ${w}`).join(" + ");
  return `(CASE WHEN ${c} ~ '^[1-9]\\d{16}[\\dX]$' THEN
      ${realPastDateSql(`substr(${c}, 7, 4)`, `substr(${c}, 11, 2)`, `substr(${c}, 13, 2)`)}
      AND substr('10X98765432', ((${sum}) % 11) + 1, 1) = substr(${c}, 18, 1)
    ELSE false END)`;
}

/** A normalised certificate number valid for its type (a resident ID when the type is ID_CARD or unknown). */
export function validCertSql(c: string, typeExpr: string): string {
  return `(CASE WHEN COALESCE(upper(${typeExpr}), 'ID_CARD') = 'ID_CARD' THEN ${validResidentIdSql(c)}
    ELSE ${c} ~ '^[0-9A-Z-]{1,32}$' END)`;
}

/** A normalised mobile number (phoneNormSql). */
export function validMobileSql(phone: string): string {
  return `(${phone} ~ '^1[3-9]\\d{9}$')`;
}

export function validEmailSql(expr: string): string {
  return `(char_length(${expr}) <= 254 AND ${expr} ~ '^\\s*[^\\s@]{1,64}@[^\\s@.]+(\\.[^\\s@.]+)+\\s*$')`;
}

/** Half-width and trimmed: the form a date is judged in. */
export function dateTextSql(expr: string): string {
  return `btrim(${halfWidthSql(expr)})`;
}

/** A date text (dateTextSql) in the dictionary's form YYYY-MM-DD, real and not in the future. */
export function validBirthDateSql(v: string): string {
  return `(CASE WHEN ${v} ~ '^\\d{4}-\\d{2}-\\d{2}$' THEN ${realPastDateSql(`substr(${v}, 1, 4)`, `substr(${v}, 6, 2)`, `substr(${v}, 9, 2)`)} ELSE false END)`;
}

export function validGenderSql(expr: string): string {
  return `(upper(btrim(${expr})) IN ('M', 'F', 'U'))`;
}

/**
 * A birth date (dateTextSql) a source keeps in another common form — YYYYMMDD, YYYY/MM/DD or
 * YYYY.MM.DD — that converts to a real past date: not the dictionary's form, but not lost either.
 */
export function convertibleBirthDateSql(v: string): string {
  const iso = `(CASE WHEN ${v} ~ '^\\d{8}$' THEN substr(${v}, 1, 4) || '-' || substr(${v}, 5, 2) || '-' || substr(${v}, 7, 2)
    WHEN ${v} ~ '^\\d{4}[/.]\\d{2}[/.]\\d{2}$' THEN translate(${v}, '/.', '--') END)`;
  return `COALESCE(${validBirthDateSql(iso)}, false)`;
}

/** Sex as source systems code it besides M/F/U: 男/女/未知, GB/T 2261.1 digits (0, 1, 2, 9), MALE/FEMALE. */
export function convertibleGenderSql(expr: string): string {
  return `(upper(btrim(${expr})) IN ('男', '女', '未知', '0', '1', '2', '9', 'MALE', 'FEMALE'))`;
}

export function validNameSql(expr: string): string {
  return `(char_length(btrim(${expr})) <= 100)`;
}

/** Empty: NULL or only whitespace. */
export function emptySql(expr: string): string {
  return `(${expr} IS NULL OR btrim(${expr}) = '')`;
}
