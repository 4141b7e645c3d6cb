"use client";

import { cn, focusRing } from "@mkt/ui";
import { useTranslations } from "next-intl";
import type { RouterOutputs } from "@/lib/api-types";
import { useLocalizedName } from "@/lib/use-localized";

type Category = RouterOutputs["tag"]["categories"][number];

/** The category tree (themes, then product lines) as a filter: choosing a theme lists all of its tags. */
export function CategoryTree({ categories, selected, onSelect }: { categories: Category[]; selected: string; onSelect: (code: string) => void }) {
  const t = useTranslations("tags.catalogue");
  const name = useLocalizedName();
  const themes = categories.filter((c) => c.parentId === null);
  const childrenOf = (id: number) => categories.filter((c) => c.parentId === id);
  const total = (c: Category) => c.tags + childrenOf(c.id).reduce((n, x) => n + x.tags, 0);
  const item = (code: string, label: string, count: number, level: number) => (
    <li role="treeitem" aria-level={level} aria-selected={selected === code} key={code || "all"}>
      <button
        type="button"
        onClick={() => onSelect(code)}
        className={cn(
          "flex w-full items-center justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm",
          level > 1 ? "pl-6" : "font-medium",
          selected === code ? "bg-brand-50 text-brand-800" : "text-slate-700 hover:bg-slate-50",
          focusRing,
        )}
      >
        <span className="truncate">{label}</span>
        <span className="text-xs text-slate-400 tabular-nums">{count}</span>
      </button>
    </li>
  );
  return (
    <ul role="tree" aria-label={t("tree")} className="space-y-0.5" data-testid="category-tree">
      {item("", t("allCategories"), categories.reduce((n, c) => n + c.tags, 0), 1)}
      {themes.map((theme) => (
        <li role="none" key={theme.code}>
          <ul role="group" className="space-y-0.5">
            {item(theme.code, name(theme), total(theme), 1)}
            {(selected === theme.code || childrenOf(theme.id).some((c) => c.code === selected)) && childrenOf(theme.id).map((c) => item(c.code, name(c), c.tags, 2))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
