/**
 * Messages as customers would get them, for the template editor's live preview and the approver's
 * sample: rendered by the dispatcher's own `renderTemplate` (the same masking of the name per
 * channel, the same opt-out line on marketing SMS), for sample customers of the caller's scope.
 * The sample link is a placeholder of the real short link's shape; nothing is sent or stored.
 */
import type { Db } from "@mkt/db";
import { z } from "zod";
import { maskName } from "../../auth/masking";
import { customerScopeWhere } from "../../auth/scope-query";
import type { OrgScope } from "../../auth/scope";
import { smsSegments } from "../channels/sms-encoding";
import { renderTemplate } from "../dispatch/render";
import { channelSchema } from "./inputs";

export const SAMPLE_LINK = "https://s.bank.example/c/Ab3xY9";

export const previewTemplateInput = z.strictObject({
  channel: channelSchema,
  subject: z.string().max(200).optional(),
  body: z.string().min(1).max(2000),
  optOutText: z.string().max(100).optional(),
  linkUrl: z.string().max(500).optional(),
});
export type PreviewTemplate = z.infer<typeof previewTemplateInput>;

/** What the editor should point out about a template (the console words them). */
export const templateWarning = z.discriminatedUnion("code", [
  z.object({ code: z.literal("UNKNOWN_VARIABLE"), variable: z.string() }),
  z.object({ code: z.literal("SMS_PARTS"), parts: z.number() }),
  z.object({ code: z.literal("LINK_WITHOUT_URL") }),
  z.object({ code: z.literal("NO_PRODUCT") }),
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
});
export type RenderedMessage = z.infer<typeof renderedMessage>;

const KNOWN = new Set(["name", "product", "link"]);

export function renderFor(template: PreviewTemplate, customer: { name: string; customerNo: string }, product: string | undefined): RenderedMessage {
  const out = renderTemplate(
    { channel: template.channel, subject: template.subject ?? null, body: template.body, optOutText: template.optOutText ?? null },
    { name: customer.name, product, link: SAMPLE_LINK },
  );
  const sms = template.channel === "SMS" ? smsSegments(out.body) : null;
  const used = new Set([...`${template.subject ?? ""} ${template.body}`.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!));
  const warnings: TemplateWarning[] = [
    ...[...used].filter((v) => !KNOWN.has(v)).map((variable) => ({ code: "UNKNOWN_VARIABLE" as const, variable })),
    ...(sms && sms.segments > 1 ? [{ code: "SMS_PARTS" as const, parts: sms.segments }] : []),
    ...(used.has("link") && !template.linkUrl ? [{ code: "LINK_WITHOUT_URL" as const }] : []),
    ...(used.has("product") && !product ? [{ code: "NO_PRODUCT" as const }] : []),
  ];
  return {
    channel: template.channel,
    customerLabel: `${maskName(customer.name)} (${customer.customerNo})`,
    subject: out.subject ?? null,
    body: out.body,
    length: sms?.length ?? out.body.length,
    segments: sms?.segments ?? 1,
    warnings,
  };
}

/** Sample customers of the caller's scope (the audience's members are bound at launch). */
export async function sampleCustomers(db: Db, scope: OrgScope, take: number) {
  return db.customer.findMany({ where: customerScopeWhere(scope), orderBy: { id: "asc" }, take, select: { id: true, name: true, customerNo: true } });
}

export async function campaignProductName(db: Db, campaignId: string): Promise<string | undefined> {
  const p = await db.campaignProduct.findFirst({ where: { campaignId }, include: { product: { select: { name: true } } } });
  return p?.product.name;
}

export async function previewTemplate(db: Db, scope: OrgScope, campaignId: string, template: PreviewTemplate): Promise<RenderedMessage> {
  const [customer] = await sampleCustomers(db, scope, 1);
  return renderFor(template, customer ?? { name: "张三", customerNo: "C0000000" }, await campaignProductName(db, campaignId));
}
