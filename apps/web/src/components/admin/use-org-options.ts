"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { useLocalizedName } from "@/lib/use-localized";

/** The caller's org units as select options, indented by depth (an ideographic space per level). */
export function useOrgOptions() {
  const trpc = useTRPC();
  const name = useLocalizedName();
  const tree = useQuery(trpc.org.tree.queryOptions());
  const units = tree.data ?? [];
  const depth = (path: string) => path.split("/").filter(Boolean).length;
  const root = units.length ? Math.min(...units.map((u) => depth(u.path))) : 0;
  return units.map((u) => ({ id: u.id, label: `${"\u3000".repeat(depth(u.path) - root)}${name(u)} (${u.code})` }));
}
