/** A raw row of an import, before validation: field-keyed cells and the line they came from. */
export interface SourceRow {
  /** 1-based; the CSV header is line 1, a JSON batch's rows[i] is line i + 1. */
  line: number;
  values: Record<string, unknown>;
}

/** The rows of a JSON batch as source rows. */
export async function* jsonRows(rows: readonly Record<string, unknown>[]): AsyncGenerator<SourceRow> {
  for (let i = 0; i < rows.length; i++) yield { line: i + 1, values: rows[i]! };
}
