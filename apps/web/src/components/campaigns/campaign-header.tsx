"use client";

import { Button, PageHeader, buttonClasses } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Ban, ClipboardCheck, Pause, Pencil, Play, Rocket, Send } from "lucide-react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { cn } from "@mkt/ui";
import { useTRPC } from "@/lib/trpc";
import { CampaignStatusBadge, LIVE } from "./campaign-status";

type Action = "submit" | "launch" | "pause" | "resume" | "cancel";

/** The campaign's title, status, its sub-pages and the actions its status and the caller's role allow. */
export function CampaignHeader({ campaignId, permissions }: { campaignId: string; permissions: string[] }) {
  const t = useTranslations("campaigns.header");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  const campaign = useQuery({
    ...trpc.campaign.get.queryOptions({ campaignId }),
    refetchInterval: (q) => (q.state.data && (LIVE.includes(q.state.data.status) || q.state.data.status === "APPROVED") ? 5_000 : false),
  });
  const [confirm, setConfirm] = useState<Action | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.campaign.pathKey() });
  const done = { onSuccess: () => (setConfirm(null), void refresh()) };
  const mutations = {
    submit: useMutation(trpc.campaign.submit.mutationOptions(done)),
    launch: useMutation(trpc.campaign.launch.mutationOptions(done)),
    pause: useMutation(trpc.campaign.pause.mutationOptions(done)),
    resume: useMutation(trpc.campaign.resume.mutationOptions(done)),
    cancel: useMutation(trpc.campaign.cancel.mutationOptions(done)),
  };
  const can = (p: string) => permissions.includes(p);
  const c = campaign.data;
  const error = Object.values(mutations).find((m) => m.isError)?.error;

  const actions: { key: Action; icon: React.ReactNode; variant?: "primary" | "secondary" | "danger" }[] = [];
  if (c && can("campaign:write") && (c.status === "DRAFT" || c.status === "REJECTED")) actions.push({ key: "submit", icon: <Send className="size-4" /> });
  if (c && can("campaign:launch") && c.status === "APPROVED") actions.push({ key: "launch", icon: <Rocket className="size-4" /> });
  if (c && can("campaign:launch") && c.status === "RUNNING") actions.push({ key: "pause", icon: <Pause className="size-4" />, variant: "secondary" });
  if (c && can("campaign:launch") && c.status === "PAUSED") actions.push({ key: "resume", icon: <Play className="size-4" /> });
  if (c && can("campaign:launch") && ["APPROVED", "RUNNING", "PAUSED"].includes(c.status)) actions.push({ key: "cancel", icon: <Ban className="size-4" />, variant: "danger" });

  const tabs = [
    { href: `/campaigns/${campaignId}`, label: t("tab.monitor") },
    { href: `/campaigns/${campaignId}/edit`, label: c && (c.status === "DRAFT" || c.status === "REJECTED") && can("campaign:write") ? t("tab.design") : t("tab.designView") },
    { href: `/campaigns/${campaignId}/review`, label: t("tab.review") },
  ];

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/campaigns" className="hover:underline">
            {t("back")}
          </Link>
        }
        title={
          <span className="flex flex-wrap items-center gap-2">
            {c?.name ?? "…"}
            {c && <CampaignStatusBadge status={c.status} />}
          </span>
        }
        description={c ? t("meta", { code: c.code, owner: c.createdBy?.name ?? "—" }) : undefined}
        actions={
          <>
            {c && can("campaign:approve") && c.status === "PENDING_APPROVAL" && !pathname.endsWith("/review") && (
              <Link href={`/campaigns/${campaignId}/review`} className={buttonClasses("primary", "md")}>
                <ClipboardCheck className="size-4" />
                {t("goReview")}
              </Link>
            )}
            {c && can("campaign:write") && (c.status === "DRAFT" || c.status === "REJECTED") && !pathname.endsWith("/edit") && (
              <Link href={`/campaigns/${campaignId}/edit`} className={buttonClasses("secondary", "md")}>
                <Pencil className="size-4" />
                {t("edit")}
              </Link>
            )}
            {actions.map((a) => (
              <Button key={a.key} variant={a.variant ?? "primary"} icon={a.icon} onClick={() => setConfirm(a.key)} data-testid={`campaign-${a.key}`}>
                {t(`action.${a.key}`)}
              </Button>
            ))}
          </>
        }
      />
      {c?.status === "REJECTED" && c.decisionNote && (
        <p className="mb-4 rounded-md border border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">{t("rejectedNote", { note: c.decisionNote })}</p>
      )}
      {error && (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-4 py-2 text-sm text-red-700">
          {error.message}
        </p>
      )}
      <nav aria-label={t("tabs")} className="mb-4 flex gap-1 border-b border-slate-200">
        {tabs.map((tab) => (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={pathname === tab.href ? "page" : undefined}
            className={cn("-mb-px border-b-2 px-3 py-2 text-sm", pathname === tab.href ? "border-brand-600 font-medium text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900")}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      {confirm && (
        <ConfirmDialog
          open
          title={t(`confirm.${confirm}.title`)}
          description={t(`confirm.${confirm}.description`)}
          confirmLabel={t(`action.${confirm}`)}
          danger={confirm === "cancel"}
          busy={mutations[confirm].isPending}
          onConfirm={() => mutations[confirm].mutate({ campaignId })}
          onClose={() => setConfirm(null)}
        />
      )}
    </>
  );
}
