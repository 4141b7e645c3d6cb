"use client";

import { Field, Select } from "@mkt/ui";

/** A labelled select over a fixed list of codes (value type, source kind, status …), with an optional "all". */
export function CodeSelect<C extends string>({
  label,
  value,
  codes,
  labelOf,
  onChange,
  all,
  hint,
  className,
}: {
  label: string;
  value: C | "";
  codes: readonly C[];
  labelOf: (code: C) => string;
  onChange: (code: C | "") => void;
  /** The label of an empty choice ("all"); without it one of the codes must be chosen. */
  all?: string;
  hint?: string;
  className?: string;
}) {
  return (
    <Field label={label} hint={hint} className={className}>
      {({ id, describedBy }) => (
        <Select id={id} value={value} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value as C | "")}>
          {all !== undefined && <option value="">{all}</option>}
          {codes.map((c) => (
            <option key={c} value={c}>
              {labelOf(c)}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
