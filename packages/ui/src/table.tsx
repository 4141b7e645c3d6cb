import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "./cn";

export interface TableProps extends HTMLAttributes<HTMLTableElement> {
  /** Read by screen readers (visually hidden). */
  caption: ReactNode;
}

/** A data table that scrolls sideways inside its card rather than widening the page. */
export function Table({ caption, className, children, ...rest }: TableProps) {
  return (
    <div className="w-full overflow-x-auto">
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...rest}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return <thead className="bg-slate-50 text-xs text-slate-500">{children}</thead>;
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

export function Tr({ className, ...rest }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("align-middle", className)} {...rest} />;
}

type Align = "left" | "right" | "center";
const alignClass: Record<Align, string> = { left: "text-left", right: "text-right", center: "text-center" };

export function Th({ align = "left", className, ...rest }: ThHTMLAttributes<HTMLTableCellElement> & { align?: Align }) {
  return (
    <th
      scope="col"
      className={cn("px-4 py-2.5 font-medium whitespace-nowrap first:pl-4 sm:first:pl-5", alignClass[align], className)}
      {...rest}
    />
  );
}

/** A cell keeps its content on one line (the table scrolls sideways) unless `wrap` is set. */
export function Td({ align = "left", wrap, className, ...rest }: TdHTMLAttributes<HTMLTableCellElement> & { align?: Align; wrap?: boolean }) {
  return (
    <td
      className={cn("px-4 py-2.5 text-slate-800 first:pl-4 sm:first:pl-5", !wrap && "whitespace-nowrap", alignClass[align], align === "right" && "tabular-nums", className)}
      {...rest}
    />
  );
}
