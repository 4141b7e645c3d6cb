import type { Permission } from "@mkt/core/auth/permissions";
import {
  Activity,
  BrainCircuit,
  BriefcaseBusiness,
  ClipboardCheck,
  Database,
  Gift,
  LayoutDashboard,
  Megaphone,
  Settings,
  Tags,
  Users,
  UsersRound,
  type LucideIcon,
} from "lucide-react";

/**
 * The console's areas, in the order of PRODUCT.md's capability map. `key` names the entry in the
 * "nav" message namespace. Areas whose procedures do not exist yet carry "self" (any signed-in
 * user) until their issue adds a permission to packages/core.
 */
export interface NavLink {
  key: string;
  href: string;
  permission: Permission;
}

interface AreaBase {
  key: string;
  icon: LucideIcon;
  /** Shown in the phone's bottom bar (the rest sit in the drawer). */
  primaryOnPhone?: boolean;
  /** Not built yet: its page says so plainly ("coming in a later release"). */
  planned?: boolean;
}

/** A single page, or a group whose sub-pages each carry their own permission. */
export type NavArea = AreaBase & ({ href: string; permission: Permission; children?: undefined } | { children: NavLink[] });

/** An area as the shell renders it: its link goes to the first sub-page the user may open. */
export type VisibleArea = AreaBase & { href: string; children?: NavLink[] };

export const NAV_AREAS: NavArea[] = [
  { key: "dashboard", href: "/dashboard", permission: "self", icon: LayoutDashboard, primaryOnPhone: true },
  { key: "customers", href: "/customers", permission: "customer:read", icon: Users, primaryOnPhone: true },
  {
    key: "data",
    icon: Database,
    children: [
      { key: "dataImports", href: "/data/imports", permission: "import:read" },
      { key: "dataQuality", href: "/data/quality", permission: "import:read" },
      { key: "dataDictionary", href: "/data/dictionary", permission: "import:read" },
      { key: "dataIdentity", href: "/data/identity", permission: "import:read" },
    ],
  },
  {
    key: "tags",
    icon: Tags,
    children: [
      { key: "tagsCatalogue", href: "/tags", permission: "tag:read" },
      { key: "tagsApprovals", href: "/tags/approvals", permission: "tag:approve" },
      { key: "tagsRuns", href: "/tags/runs", permission: "tag:read" },
    ],
  },
  {
    key: "segments",
    icon: UsersRound,
    children: [
      { key: "segmentsList", href: "/segments", permission: "segment:read" },
      // The user's own exports, and for approvers the unmasked exports awaiting their decision.
      { key: "segmentsExports", href: "/segments/exports", permission: "export:read" },
    ],
  },
  { key: "models", href: "/models", permission: "self", planned: true, icon: BrainCircuit },
  { key: "campaigns", href: "/campaigns", permission: "campaign:read", icon: Megaphone },
  { key: "benefits", href: "/benefits", permission: "self", planned: true, icon: Gift },
  { key: "leads", href: "/leads", permission: "lead:read", icon: BriefcaseBusiness, primaryOnPhone: true },
  { key: "monitoring", href: "/monitoring", permission: "self", planned: true, icon: Activity },
  { key: "approvals", href: "/approvals", permission: "self", planned: true, icon: ClipboardCheck },
  {
    key: "admin",
    icon: Settings,
    children: [
      { key: "adminOrg", href: "/admin/org", permission: "org:read" },
      { key: "adminUsers", href: "/admin/users", permission: "user:read" },
      { key: "adminApiKeys", href: "/admin/api-keys", permission: "apikey:manage" },
      { key: "adminAudit", href: "/admin/audit", permission: "audit:read" },
    ],
  },
];

/** The areas and sub-pages a holder of `permissions` may open; an area with no visible child is dropped. */
export function visibleAreas(permissions: readonly string[]): VisibleArea[] {
  const can = (p: Permission) => permissions.includes(p);
  const out: VisibleArea[] = [];
  for (const area of NAV_AREAS) {
    if (area.children) {
      const children = area.children.filter((c) => can(c.permission));
      const first = children[0];
      if (first) out.push({ key: area.key, icon: area.icon, primaryOnPhone: area.primaryOnPhone, planned: area.planned, href: first.href, children });
    } else if (can(area.permission)) {
      out.push({ key: area.key, icon: area.icon, primaryOnPhone: area.primaryOnPhone, planned: area.planned, href: area.href });
    }
  }
  return out;
}

export function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The sub-page a path belongs to: the longest matching href (/tags/approvals, not /tags). */
export function activeChildHref(pathname: string, children: readonly NavLink[]): string | undefined {
  return children
    .filter((c) => isActive(pathname, c.href))
    .map((c) => c.href)
    .sort((a, b) => b.length - a.length)[0];
}
