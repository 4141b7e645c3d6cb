/**
 * Messages as customers would get them, for the template editor's live preview and the approver's
 * sample: rendered by the platform's one renderer, `previewTemplate` of ../templates.ts — the one
 * the dispatcher sends with (the same masking of the name per channel, the same opt-out line on
 * marketing SMS, the same rules) — for sample customers of the caller's scope. A template the
 * dispatcher would refuse still previews as a draft (what cannot be filled renders empty) with
 * its problems as warnings and `sendable: false`. The sample link has the real short link's shape
 * and length; nothing is sent or stored.
 */
import type { Db } from "@mkt/db";
import { z } from "zod";
import { maskName } from "../../auth/masking";
import { customerScopeWhere } from "../../auth/scope-query";
import type { OrgScope } from "../../auth/scope";
import { channelEnv, trackingBaseUrl } from "../channels/env";
import { previewTemplate as renderPreview, templateVariables, type TemplateCustomer } from "../templates";
import { channelSchema } from "./inputs";

/** The origin the worker's short links use (TRACKING_BASE_URL, else the console's address); the renderer's sample origin without either. */
function linkBaseUrl(): string | undefined {
  try {
    return trackingBaseUrl(channelEnv());
  } catch {
    return undefined;
  }
}

export const previewTemplateInput = z.strictObject({
  channel: channelSchema,
  subject: z.string().max(200).optional(),
  body: z.string().min(1).max(2000),
  optOutText: z.string().max(100).optional(),
  linkUrl: z.string().max(500).optional(),
});
export type PreviewTemplate = z.infer<typeof previewTemplateInput>;

/**
 * What the editor should point out about a template (the console words them). SMS_PARTS is
 * advice (billed parts); the others are problems: the dispatcher would not send the message.
 */
export const templateWarning = z.discriminatedUnion("code", [
  z.object({ code: z.literal("UNKNOWN_VARIABLE"), variable: z.string() }),
  z.object({ code: z.literal("SMS_PARTS"), parts: z.number() }),
  z.object({ code: z.literal("SMS_TOO_LONG"), parts: z.number() }),
  z.object({ code: z.literal("LINK_WITHOUT_URL") }),
  z.object({ code: z.literal("BAD_LINK_URL") }),
  z.object({ code: z.literal("NO_PRODUCT") }),
  z.object({ code: z.literal("NO_OPT_OUT") }),
  z.object({ code: z.literal("BAD_OPT_OUT") }),
  z.object({ code: z.literal("NO_SUBJECT") }),
  z.object({ code: z.literal("EMPTY_BODY") }),
]);
export type TemplateWarning = z.infer<typeof templateWarning>;

export const renderedMessage = z.object({
  channel: z.string(),
  customerLabel: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  /** SMS: characters as the handset counts them and the number of parts; others: characters, 1. */
  length: z.number(),
  segments: z.number(),
  warnings: z.array(templateWarning),
  /** The dispatcher would send this message as shown (no problem among the warnings). */
  sendable: z.boolean(),
});
export type RenderedMessage = z.infer<typeof renderedMessage>;

export function renderFor(template: PreviewTemplate, customer: TemplateCustomer & { customerNo: string }, product: string | undefined): RenderedMessage {
  const base = linkBaseUrl();
  const { rendered, issues, sendable } = renderPreview(
    { channel: template.channel, subject: template.subject ?? null, body: template.body, optOutText: template.optOutText ?? null, linkUrl: template.linkUrl ?? null },
    { customer, productName: product ?? null, ...(base ? { linkBaseUrl: base } : {}) },
  );
  const parts = rendered.sms?.segments ?? 1;
  const warnings: TemplateWarning[] = [
    ...issues.map((i): TemplateWarning => {
      switch (i.code) {
        case "UNKNOWN_VARIABLE":
          return { code: i.code, variable: i.variable ?? "" };
        case "SMS_TOO_LONG":
          return { code: i.code, parts: i.parts ?? parts };
        default:
          return { code: i.code };
      }
    }),
    ...(rendered.sms && parts > 1 && !issues.some((i) => i.code === "SMS_TOO_LONG") ? [{ code: "SMS_PARTS" as const, parts }] : []),
    ...(templateVariables(template).includes("product") && !product ? [{ code: "NO_PRODUCT" as const }] : []),
  ];
  return {
    channel: template.channel,
    customerLabel: `${maskName(customer.name)} (${customer.customerNo})`,
    subject: rendered.subject ?? null,
    body: rendered.body,
    length: rendered.sms?.length ?? rendered.body.length,
    segments: parts,
    warnings,
    sendable,
  };
}

/** Sample customers of the caller's scope (the audience's members are bound at launch). */
export async function sampleCustomers(db: Db, scope: OrgScope, take: number) {
  return db.customer.findMany({ where: customerScopeWhere(scope), orderBy: { id: "asc" }, take, select: { id: true, name: true, gender: true, customerNo: true } });
}

export async function campaignProductName(db: Db, campaignId: string): Promise<string | undefined> {
  const p = await db.campaignProduct.findFirst({ where: { campaignId }, orderBy: { productId: "asc" }, include: { product: { select: { name: true } } } }); // the product the dispatcher renders
  return p?.product.name;
}

export async function previewTemplate(db: Db, scope: OrgScope, campaignId: string, template: PreviewTemplate): Promise<RenderedMessage> {
  const [customer] = await sampleCustomers(db, scope, 1);
  return renderFor(template, customer ?? { name: "张三", gender: "U", customerNo: "C0000000" }, await campaignProductName(db, campaignId));
}
