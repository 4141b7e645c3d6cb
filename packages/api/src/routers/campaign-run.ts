/**
 * Running a campaign: the approver's review (audience after suppression, sample messages, cost),
 * launch, pause, resume, cancel (each audited) and the live funnel. Bodies call core use cases
 * (camp-dispatch's in packages/core/src/campaigns/dispatch, read models in …/manage).
 */
import { z } from "zod";
import { cancelCampaign, launchCampaign, pauseCampaign, resumeCampaign } from "@mkt/core/campaigns/dispatch/launch";
import { campaignDispatchQueue } from "@mkt/jobs/campaigns";
import { campaignMonitor, funnelOutput } from "@mkt/core/campaigns/manage/monitor";
import { reviewCampaign, reviewOutput } from "@mkt/core/campaigns/manage/review";
import { campaignProcedure } from "./campaign-guard";

const ref = z.strictObject({ campaignId: z.string() });
const controlled = z.object({ status: z.string(), runs: z.number() });

export const campaignRunProcedures = {
  /** The approver's view: audience after the guardrails by reason, sample messages, estimated cost. */
  review: campaignProcedure
    .meta({ permission: "campaign:read", scope: "org" })
    .input(ref)
    .output(reviewOutput)
    .query(({ ctx }) => reviewCampaign(ctx.db, ctx.scope, ctx.campaign.id)),

  /** Launches an approved campaign (at most one run per launch key; audited by the use case). */
  launch: campaignProcedure
    .meta({ permission: "campaign:launch", scope: "org" })
    .input(ref)
    .output(z.object({ runId: z.string().nullable(), created: z.boolean(), audience: z.number() }))
    .mutation(async ({ ctx }) => {
      const r = await launchCampaign(ctx.db, campaignDispatchQueue(), { campaignId: ctx.campaign.id, actor: ctx.user, ip: ctx.ip });
      return { runId: r.runId, created: r.created, audience: r.audience };
    }),

  pause: campaignProcedure
    .meta({ permission: "campaign:launch", scope: "org" })
    .input(ref)
    .output(controlled)
    .mutation(({ ctx }) => pauseCampaign(ctx.db, campaignDispatchQueue(), ctx.campaign.id, ctx.user)),

  resume: campaignProcedure
    .meta({ permission: "campaign:launch", scope: "org" })
    .input(ref)
    .output(controlled)
    .mutation(({ ctx }) => resumeCampaign(ctx.db, campaignDispatchQueue(), ctx.campaign.id, ctx.user)),

  cancel: campaignProcedure
    .meta({ permission: "campaign:launch", scope: "org" })
    .input(ref.extend({ reason: z.string().trim().max(500).optional() }))
    .output(controlled)
    .mutation(({ ctx, input }) => cancelCampaign(ctx.db, campaignDispatchQueue(), ctx.campaign.id, ctx.user, input.reason)),

  funnel: campaignProcedure
    .meta({ permission: "campaign:read", scope: "org" })
    .input(ref)
    .output(funnelOutput)
    .query(({ ctx }) => campaignMonitor(ctx.db, ctx.campaign.id)),
};
