"use client";

import { cn, focusRing } from "@mkt/ui";
import { ChevronDown } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { activeChildHref, isActive, type VisibleArea } from "./nav-items";

interface Props {
  areas: VisibleArea[];
  /** Icons only (the collapsed desktop sidebar); sub-pages are reached from the area link. */
  collapsed?: boolean;
  onNavigate?: () => void;
}

export function NavList({ areas, collapsed, onNavigate }: Props) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  return (
    <ul className="space-y-0.5">
      {areas.map((area) => {
        const active = area.children ? area.children.some((c) => isActive(pathname, c.href)) : isActive(pathname, area.href);
        return (
          <li key={area.key}>
            {area.children && !collapsed ? (
              <NavGroup area={area} active={active} pathname={pathname} onNavigate={onNavigate} />
            ) : (
              <Link
                href={area.href}
                onClick={onNavigate}
                aria-current={active ? "page" : undefined}
                title={collapsed ? t(area.key) : undefined}
                className={cn(itemClass(active), collapsed && "justify-center px-0")}
              >
                <area.icon className="size-[18px] shrink-0" aria-hidden="true" />
                <span className={collapsed ? "sr-only" : "truncate"}>{t(area.key)}</span>
              </Link>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function itemClass(active: boolean) {
  return cn(
    "flex h-9 w-full items-center gap-3 rounded-md px-3 text-sm transition-colors",
    focusRing,
    active ? "bg-white/10 font-medium text-white" : "text-brand-100 hover:bg-white/5 hover:text-white",
  );
}

function NavGroup({ area, active, pathname, onNavigate }: { area: VisibleArea; active: boolean; pathname: string; onNavigate?: () => void }) {
  const t = useTranslations("nav");
  const [open, setOpen] = useState(active);
  const expanded = open || active;
  const listId = `nav-${area.key}`;
  return (
    <>
      <button type="button" aria-expanded={expanded} aria-controls={listId} onClick={() => setOpen(!expanded)} className={itemClass(false)}>
        <area.icon className="size-[18px] shrink-0" aria-hidden="true" />
        <span className={cn("flex-1 truncate text-left", active && "font-medium text-white")}>{t(area.key)}</span>
        <ChevronDown className={cn("size-4 transition-transform", expanded && "rotate-180")} aria-hidden="true" />
      </button>
      <ul id={listId} hidden={!expanded} className="mt-0.5 space-y-0.5 pl-9">
        {area.children?.map((child) => {
          const childActive = child.href === activeChildHref(pathname, area.children!);
          return (
            <li key={child.key}>
              <Link
                href={child.href}
                onClick={onNavigate}
                aria-current={childActive ? "page" : undefined}
                className={cn(
                  "flex h-8 items-center rounded-md px-3 text-[13px] transition-colors",
                  focusRing,
                  childActive ? "bg-white/10 font-medium text-white" : "text-brand-200 hover:bg-white/5 hover:text-white",
                )}
              >
                {t(child.key)}
              </Link>
            </li>
          );
        })}
      </ul>
    </>
  );
}
