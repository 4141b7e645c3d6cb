import type { ReactNode } from "react";
import { cn } from "./cn";
import { Table, TBody, Td, Th, THead, Tr } from "./table";

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  align?: "left" | "right" | "center";
  /** On phones the primary columns form the card's title line; the others become label/value pairs. */
  primary?: boolean;
  /** Left out of the phone card (e.g. a detail the desktop table has room for). */
  hideOnPhone?: boolean;
  /** Left out of the table below the `xl` breakpoint (1280 px), where columns are scarce. */
  wideOnly?: boolean;
  /** Left out of the table below the `2xl` breakpoint (1536 px): a detail a 1440 px screen has no room for. */
  widestOnly?: boolean;
  /** Stays in view at the table's right edge when the table scrolls sideways (row actions). */
  stickyEnd?: boolean;
  /** Lets the cell's text wrap (long names) instead of widening the table. */
  wrap?: boolean;
  className?: string;
}

export interface DataTableProps<T> {
  rows: readonly T[];
  columns: Column<T>[];
  rowKey: (row: T) => string | number;
  caption: string;
  /** Extra classes per row, e.g. a highlight for a maturity date that is close. */
  rowClassName?: (row: T) => string | undefined;
  testId?: string;
}

function visibility(c: { wideOnly?: boolean; widestOnly?: boolean }): string | undefined {
  if (c.widestOnly) return "hidden 2xl:table-cell";
  if (c.wideOnly) return "hidden xl:table-cell";
  return undefined;
}

/** A table on wide screens and a list of cards below the `md` breakpoint (390 px phones). */
export function DataTable<T>({ rows, columns, rowKey, caption, rowClassName, testId }: DataTableProps<T>) {
  const primary = columns.filter((c) => c.primary);
  const rest = columns.filter((c) => !c.primary && !c.hideOnPhone);
  return (
    <div data-testid={testId}>
      <div className="hidden md:block">
        <Table caption={caption}>
          <THead>
            <Tr>
              {columns.map((c) => (
                <Th key={c.key} align={c.align} className={cn(visibility(c), c.stickyEnd && "sticky right-0 z-[1] bg-slate-50 shadow-[-8px_0_8px_-8px_rgb(15_23_42/0.15)]")}>
                  {c.header}
                </Th>
              ))}
            </Tr>
          </THead>
          <TBody>
            {rows.map((row) => (
              <Tr key={rowKey(row)} className={rowClassName?.(row)}>
                {columns.map((c) => (
                  <Td
                    key={c.key}
                    align={c.align}
                    wrap={c.wrap}
                    className={cn(visibility(c), c.stickyEnd && "sticky right-0 z-[1] bg-white shadow-[-8px_0_8px_-8px_rgb(15_23_42/0.15)]", c.className)}
                  >
                    {c.cell(row)}
                  </Td>
                ))}
              </Tr>
            ))}
          </TBody>
        </Table>
      </div>
      <ul className="divide-y divide-slate-100 md:hidden" aria-label={caption}>
        {rows.map((row) => (
          <li key={rowKey(row)} className={cn("px-4 py-3", rowClassName?.(row))}>
            {primary.length > 0 && (
              <div className="mb-1.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm font-medium text-slate-900">
                {primary.map((c) => (
                  <span key={c.key}>{c.cell(row)}</span>
                ))}
              </div>
            )}
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1.5">
              {rest.map((c) => (
                <div key={c.key} className="min-w-0">
                  <dt className="text-[11px] text-slate-500">{c.header}</dt>
                  <dd className="text-sm break-words text-slate-800">{c.cell(row)}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
    </div>
  );
}
