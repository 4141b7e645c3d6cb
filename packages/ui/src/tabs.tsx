import { cn } from "./cn";

export interface UnderlineTabsProps<K extends string> {
  /** The tab list's accessible name. */
  label: string;
  tabs: readonly K[];
  value: K;
  onChange: (key: K) => void;
  /** The visible text of a tab. */
  render: (key: K) => string;
  /** A `data-testid` per tab, when the tests need one. */
  testId?: (key: K) => string;
  className?: string;
}

/** A row of underlined tabs (role tablist); the caller renders the selected panel. */
export function UnderlineTabs<K extends string>({ label, tabs, value, onChange, render, testId, className }: UnderlineTabsProps<K>) {
  return (
    <div role="tablist" aria-label={label} className={cn("mb-4 flex gap-1 border-b border-slate-200", className)}>
      {tabs.map((k) => (
        <button
          key={k}
          role="tab"
          type="button"
          aria-selected={value === k}
          onClick={() => onChange(k)}
          data-testid={testId?.(k)}
          className={cn("-mb-px border-b-2 px-3 py-2 text-sm", value === k ? "border-brand-600 font-medium text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900")}
        >
          {render(k)}
        </button>
      ))}
    </div>
  );
}
