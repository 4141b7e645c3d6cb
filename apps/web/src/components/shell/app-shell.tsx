"use client";

import { cn, focusRing } from "@mkt/ui";
import { Ellipsis, Menu, PanelLeftClose, PanelLeftOpen, X } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { ShellUser } from "@/lib/shell-user";
import { Brand } from "./brand";
import { LocaleSwitch } from "./locale-switch";
import { isActive, visibleAreas } from "./nav-items";
import { NavList } from "./nav-list";
import { SIDEBAR_COOKIE } from "./sidebar-cookie";
import { SignOutButton } from "./sign-out-button";
import { UserBadge } from "./user-badge";

interface Props {
  user: ShellUser;
  initialCollapsed: boolean;
  children: ReactNode;
}

/**
 * The console frame. Desktop: a collapsible left sidebar and a header. Phones (< lg): a header
 * with a menu button, a drawer holding the full navigation, and a bottom bar for the main areas.
 */
export function AppShell({ user, initialCollapsed, children }: Props) {
  const t = useTranslations("shell");
  const tCommon = useTranslations("common");
  const areas = useMemo(() => visibleAreas(user.permissions), [user.permissions]);
  const [collapsed, setCollapsed] = useState(initialCollapsed);
  const [drawerOpen, setDrawerOpen] = useState(false);

  const toggleCollapsed = () => {
    const next = !collapsed;
    setCollapsed(next);
    document.cookie = `${SIDEBAR_COOKIE}=${next ? "collapsed" : "open"}; path=/; max-age=31536000; samesite=lax`;
  };

  return (
    <div className="min-h-dvh lg:flex">
      <a href="#main" className={cn("sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2", focusRing)}>
        {t("skipToContent")}
      </a>

      {/* The column stretches to the page's height (its background with it, also in full-page
          screenshots); the sidebar inside stays in view while the page scrolls. */}
      <div className={cn("hidden shrink-0 bg-brand-950 transition-[width] lg:block", collapsed ? "w-16" : "w-64")} data-testid="sidebar-column">
        <aside className="sticky top-0 flex h-dvh flex-col">
          <div className={cn("flex h-14 items-center border-b border-white/10", collapsed ? "justify-center px-2" : "px-4")}>
            <Brand collapsed={collapsed} />
          </div>
          <nav aria-label={t("mainNav")} className="flex-1 overflow-y-auto px-2 py-3">
            <NavList areas={areas} collapsed={collapsed} />
          </nav>
          <div className="border-t border-white/10 p-2">
            <button
              type="button"
              onClick={toggleCollapsed}
              aria-expanded={!collapsed}
              className={cn("flex h-9 w-full items-center gap-3 rounded-md px-3 text-sm text-brand-200 hover:bg-white/5 hover:text-white", collapsed && "justify-center px-0", focusRing)}
            >
              {collapsed ? <PanelLeftOpen className="size-[18px]" aria-hidden="true" /> : <PanelLeftClose className="size-[18px]" aria-hidden="true" />}
              <span className={collapsed ? "sr-only" : undefined}>{collapsed ? t("expandNav") : t("collapseNav")}</span>
            </button>
          </div>
        </aside>
      </div>

      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-20 flex h-14 items-center gap-3 border-b border-slate-200 bg-white/95 px-3 backdrop-blur sm:px-6">
          <button
            type="button"
            onClick={() => setDrawerOpen(true)}
            aria-label={t("openMenu")}
            className={cn("rounded-md p-2 text-slate-600 hover:bg-slate-100 lg:hidden", focusRing)}
          >
            <Menu className="size-5" aria-hidden="true" />
          </button>
          <span className="truncate text-sm font-semibold text-slate-900 lg:hidden">{tCommon("appName")}</span>
          <div className="ml-auto flex items-center gap-2 sm:gap-4">
            <LocaleSwitch persist compact />
            <div className="hidden sm:block">
              <UserBadge user={user} />
            </div>
            <SignOutButton iconOnly />
          </div>
        </header>

        <main id="main" tabIndex={-1} className="flex-1 px-4 pt-5 pb-24 outline-none sm:px-6 lg:px-8 lg:pb-10">
          {children}
        </main>
      </div>

      <BottomNav areas={areas} onMore={() => setDrawerOpen(true)} />
      <Drawer open={drawerOpen} onClose={() => setDrawerOpen(false)} user={user}>
        <NavList areas={areas} onNavigate={() => setDrawerOpen(false)} />
      </Drawer>
    </div>
  );
}

function BottomNav({ areas, onMore }: { areas: ReturnType<typeof visibleAreas>; onMore: () => void }) {
  const t = useTranslations("nav");
  const tShell = useTranslations("shell");
  const pathname = usePathname();
  const primary = areas.filter((a) => a.primaryOnPhone);
  const item = "flex flex-1 flex-col items-center justify-center gap-0.5 py-1.5 text-[11px]";
  return (
    <nav aria-label={tShell("quickNav")} className="fixed inset-x-0 bottom-0 z-20 flex border-t border-slate-200 bg-white pb-[env(safe-area-inset-bottom)] lg:hidden">
      {primary.map((area) => {
        const active = isActive(pathname, area.href);
        return (
          <Link key={area.key} href={area.href} aria-current={active ? "page" : undefined} className={cn(item, focusRing, active ? "text-brand-700" : "text-slate-500")}>
            <area.icon className="size-5" aria-hidden="true" />
            {t(area.key)}
          </Link>
        );
      })}
      <button type="button" onClick={onMore} className={cn(item, focusRing, "text-slate-500")}>
        <Ellipsis className="size-5" aria-hidden="true" />
        {tShell("more")}
      </button>
    </nav>
  );
}

function Drawer({ open, onClose, user, children }: { open: boolean; onClose: () => void; user: ShellUser; children: ReactNode }) {
  const t = useTranslations("shell");
  const ref = useRef<HTMLDialogElement>(null);
  const pathname = usePathname();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  // Navigating closes the drawer.
  useEffect(() => {
    onClose();
  }, [pathname]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <dialog
      ref={ref}
      aria-label={t("menu")}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => e.target === ref.current && onClose()}
      className="m-0 h-dvh max-h-none w-72 max-w-[85vw] bg-brand-950 p-0 text-white backdrop:bg-slate-900/50 lg:hidden"
    >
      <div className="flex h-full flex-col">
        <div className="flex h-14 items-center justify-between border-b border-white/10 px-4">
          <Brand />
          <button type="button" onClick={onClose} aria-label={t("closeMenu")} className={cn("rounded p-1.5 text-brand-200 hover:bg-white/10", focusRing)}>
            <X className="size-5" aria-hidden="true" />
          </button>
        </div>
        <div className="border-b border-white/10 px-4 py-3">
          <UserBadge user={user} tone="dark" />
        </div>
        <nav aria-label={t("mainNav")} className="flex-1 overflow-y-auto px-2 py-3">
          {children}
        </nav>
      </div>
    </dialog>
  );
}
