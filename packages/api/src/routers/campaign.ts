/**
 * Campaigns (营销活动): design (draft, flow, templates), maker-checker approval, launch and control,
 * monitoring, and the leads they hand to RMs. A campaign belongs to its author's org unit and is
 * visible to staff of that unit and its ancestors: every procedure that names one is built from
 * `campaignProcedure`, so another branch's campaign answers NOT_FOUND. Bodies call core use cases
 * (packages/core/src/campaigns/manage, and dispatch for launch and funnels).
 */
import { z } from "zod";
import { approveCampaign, rejectCampaign, submitCampaign } from "@mkt/core/campaigns/manage/approval";
import { createCampaign, saveFlow, saveTemplates, updateCampaign } from "@mkt/core/campaigns/manage/drafts";
import { decisionNote, draftInput, templateInput } from "@mkt/core/campaigns/manage/inputs";
import { leadListInput, leadListOutput, listLeads } from "@mkt/core/campaigns/manage/leads";
import { campaignOptions, campaignOptionsOutput } from "@mkt/core/campaigns/manage/options";
import { previewTemplate, previewTemplateInput, renderedMessage } from "@mkt/core/campaigns/manage/preview";
import { campaignGetOutput, campaignListInput, campaignListOutput, getCampaign, listCampaigns } from "@mkt/core/campaigns/manage/queries";
import { procedure, router } from "../trpc";
import { campaignProcedure } from "./campaign-guard";
import { campaignRunProcedures } from "./campaign-run";

const ref = z.strictObject({ campaignId: z.string() });
const flowErrors = z.array(z.object({ nodeId: z.string().optional(), message: z.string() }));

export const campaignRouter = router({
  list: procedure
    .meta({ permission: "campaign:read", scope: "org" })
    .input(campaignListInput)
    .output(campaignListOutput)
    .query(({ ctx, input }) => listCampaigns(ctx.db, ctx.scope, input)),

  get: campaignProcedure
    .meta({ permission: "campaign:read", scope: "org" })
    .input(ref)
    .output(campaignGetOutput)
    .query(({ ctx }) => getCampaign(ctx.db, ctx.campaign.id, ctx.user.id)),

  /** Products and the caller's segments, for the wizard. */
  options: procedure
    .meta({ permission: "campaign:write", scope: "org" })
    .output(campaignOptionsOutput)
    .query(({ ctx }) => campaignOptions(ctx.db, ctx.scope)),

  create: procedure
    .meta({ permission: "campaign:write", scope: "org" })
    .input(draftInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => createCampaign(ctx.db, ctx.user, ctx.scope, input)),

  update: campaignProcedure
    .meta({ permission: "campaign:write", scope: "org" })
    .input(z.strictObject({ campaignId: z.string(), draft: draftInput }))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => updateCampaign(ctx.db, ctx.scope, ctx.campaign.id, input.draft)),

  saveTemplates: campaignProcedure
    .meta({ permission: "campaign:write", scope: "org" })
    .input(z.strictObject({ campaignId: z.string(), templates: z.array(templateInput).max(20) }))
    .output(z.object({ ids: z.array(z.string()) }))
    .mutation(({ ctx, input }) => saveTemplates(ctx.db, ctx.campaign.id, input.templates)),

  /** Saves the drawn flow; answers every problem it still has, by node, for the designer. */
  saveFlow: campaignProcedure
    .meta({ permission: "campaign:write", scope: "org" })
    .input(z.strictObject({ campaignId: z.string(), flow: z.unknown() }))
    .output(z.object({ flowVersion: z.number(), errors: flowErrors }))
    .mutation(({ ctx, input }) => saveFlow(ctx.db, ctx.campaign.id, input.flow)),

  /** A template rendered for a sample customer of the caller's scope (live preview). */
  previewTemplate: campaignProcedure
    .meta({ permission: "campaign:write", scope: "org" })
    .input(z.strictObject({ campaignId: z.string(), template: previewTemplateInput }))
    .output(renderedMessage)
    .query(({ ctx, input }) => previewTemplate(ctx.db, ctx.scope, ctx.campaign.id, input.template)),

  submit: campaignProcedure
    .meta({ permission: "campaign:write", scope: "org" })
    .input(ref)
    .mutation(({ ctx }) => submitCampaign(ctx.db, ctx.campaign.id)),

  approve: campaignProcedure
    .meta({ permission: "campaign:approve", scope: "org" })
    .input(ref.extend({ note: decisionNote.optional() }))
    .mutation(({ ctx, input }) => approveCampaign(ctx.db, ctx.user, ctx.campaign.id, input.note, ctx.ip)),

  reject: campaignProcedure
    .meta({ permission: "campaign:approve", scope: "org" })
    .input(ref.extend({ note: decisionNote.min(1) }))
    .mutation(({ ctx, input }) => rejectCampaign(ctx.db, ctx.user, ctx.campaign.id, input.note, ctx.ip)),

  ...campaignRunProcedures,

  leads: procedure
    .meta({ permission: "lead:read", scope: "org" })
    .input(leadListInput)
    .output(leadListOutput)
    .query(({ ctx, input }) => listLeads(ctx.db, ctx.scope, input)),
});
