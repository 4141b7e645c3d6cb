import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { SIDEBAR_COOKIE } from "@/components/shell/sidebar-cookie";
import { getShellUser } from "@/lib/session";

/** Every console page needs a signed-in user; the shell shows only what their role may open. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await getShellUser();
  if (!user) redirect("/login");
  const collapsed = (await cookies()).get(SIDEBAR_COOKIE)?.value === "collapsed";
  return (
    <AppShell user={user} initialCollapsed={collapsed}>
      {children}
    </AppShell>
  );
}
