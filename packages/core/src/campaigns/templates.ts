/**
 * Message templates (one per channel): `{{variable}}`s rendered per recipient at send time, a
 * preview for a sample customer, and the rules a template must pass before it can be used.
 *
 * Variables
 *   {{name}}        the customer's name, masked as the channel requires: 张** on SMS, push, WeChat,
 *                   e-mail and RM notes (messages can be seen by others); on a call script the
 *                   polite form 张先生 / 张女士 the agent reads out
 *   {{salutation}}  the polite form 张先生 / 张女士 (张先生/女士 when the gender is unknown)
 *   {{product}}     the promoted product's name
 *   {{link}}        the contact's personalised short link (tracking/short-link.ts)
 * Marketing SMS must carry the opt-out text (回复TD退订): the template's `optOutText` is appended
 * when the body does not already say it, and a marketing SMS with neither is refused.
 */
import { maskName } from "../auth/masking";
import { DomainError } from "../domain-error";
import type { Channel } from "./channels/provider";
import { MAX_SMS_PARTS, smsSegments, type SmsSegments } from "./channels/sms-encoding";

export const TEMPLATE_VARIABLES = ["name", "salutation", "product", "link"] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export const DEFAULT_OPT_OUT_TEXT = "回复TD退订";
/** What counts as an opt-out instruction: 回复TD退订, 回T退订, 退订回TD, 拒收请回复R … */
const OPT_OUT = /(回复?\s*(TD|T|N|R)\s*(退订|拒收))|(退订\s*(请)?回复?\s*(TD|T|N|R))|(拒收请回复\s*R)/i;
const VARIABLE = /\{\{\s*([a-zA-Z]+)\s*\}\}/g;

export interface TemplateSource {
  channel: Channel;
  subject?: string | null;
  body: string;
  optOutText?: string | null;
  linkUrl?: string | null;
  /** Marketing (default) vs service messages; only marketing SMS needs the opt-out text. */
  marketing?: boolean;
}

export interface TemplateCustomer {
  name: string;
  gender: "M" | "F" | "U" | string;
}

export interface RenderContext {
  customer: TemplateCustomer;
  productName?: string | null;
  link?: string | null;
}

export interface RenderedMessage {
  subject?: string;
  body: string;
  /** SMS only: coding, length and the number of parts it will be sent in. */
  sms?: SmsSegments;
}

export interface TemplateIssue {
  field: "body" | "subject" | "optOutText" | "linkUrl";
  message: string;
}

export function salutation(customer: TemplateCustomer): string {
  const surname = surnameOf(customer.name);
  const title = customer.gender === "M" ? "先生" : customer.gender === "F" ? "女士" : "先生/女士";
  return `${surname}${title}`;
}

const DOUBLE_SURNAMES = new Set(["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "申屠"]);

function surnameOf(name: string): string {
  const chars = [...name.trim()];
  if (/^[\x20-\x7e]+$/.test(name)) return name.trim().split(/\s+/).at(-1) ?? "";
  const two = chars.slice(0, 2).join("");
  return DOUBLE_SURNAMES.has(two) && chars.length > 2 ? two : (chars[0] ?? "");
}

/** The name as the channel may show it. */
export function channelName(channel: Channel, customer: TemplateCustomer): string {
  if (channel === "CALL") return salutation(customer);
  const surname = surnameOf(customer.name);
  if (surname.length > 1 && !/^[\x20-\x7e]+$/.test(customer.name)) return surname + "*".repeat(Math.max([...customer.name.trim()].length - surname.length, 1));
  return maskName(customer.name);
}

function variablesOf(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((m) => m[1]!);
}

function needsOptOut(t: TemplateSource): boolean {
  return t.channel === "SMS" && t.marketing !== false;
}

/** The body as sent: the opt-out text appended to marketing SMS that do not say it already. */
function withOptOut(t: TemplateSource, body: string): string {
  if (!needsOptOut(t) || OPT_OUT.test(body)) return body;
  const text = t.optOutText?.trim();
  return text ? `${body}${/[\s。！？.!?]$/.test(body) ? "" : " "}${text}` : body;
}

/** Everything wrong with a template, for the editor (empty: usable). */
export function checkTemplate(t: TemplateSource): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const [field, text] of [["body", t.body], ["subject", t.subject ?? ""]] as const) {
    const unknown = variablesOf(text).filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v));
    if (unknown.length) issues.push({ field, message: `unknown variable ${unknown.map((v) => `{{${v}}}`).join(", ")}; use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(", ")}` });
  }
  if (!t.body.trim()) issues.push({ field: "body", message: "the message is empty" });
  if (t.optOutText?.trim() && !OPT_OUT.test(t.optOutText)) issues.push({ field: "optOutText", message: `the opt-out text must tell how to unsubscribe, e.g. ${DEFAULT_OPT_OUT_TEXT}` });
  if (needsOptOut(t) && !OPT_OUT.test(t.body) && !(t.optOutText?.trim() && OPT_OUT.test(t.optOutText))) {
    issues.push({ field: "optOutText", message: `a marketing SMS must carry the opt-out text (${DEFAULT_OPT_OUT_TEXT})` });
  }
  if (variablesOf(`${t.subject ?? ""}${t.body}`).includes("link") && !t.linkUrl) issues.push({ field: "linkUrl", message: "{{link}} needs a landing page URL" });
  if (t.linkUrl && !/^https?:\/\/\S+$/i.test(t.linkUrl)) issues.push({ field: "linkUrl", message: "the landing page must be an http(s) URL" });
  if (t.channel === "EMAIL" && !t.subject?.trim()) issues.push({ field: "subject", message: "an e-mail needs a subject" });
  if (t.channel === "SMS" && issues.length === 0) {
    const { segments } = smsSegments(withOptOut(t, renderText(t.body, t.channel, SAMPLE)));
    if (segments > MAX_SMS_PARTS) issues.push({ field: "body", message: `the SMS would take ${segments} parts; at most ${MAX_SMS_PARTS}` });
  }
  return issues;
}

function renderText(text: string, channel: Channel, ctx: RenderContext): string {
  return text.replace(VARIABLE, (_, v: string) => {
    switch (v) {
      case "name":
        return channelName(channel, ctx.customer);
      case "salutation":
        return salutation(ctx.customer);
      case "product":
        if (!ctx.productName) throw new DomainError("BAD_REQUEST", "{{product}} needs the campaign's product");
        return ctx.productName;
      case "link":
        if (!ctx.link) throw new DomainError("BAD_REQUEST", "{{link}} needs the contact's short link");
        return ctx.link;
      default:
        throw new DomainError("BAD_REQUEST", `unknown variable {{${v}}}`);
    }
  });
}

/** Renders a template for one recipient; refuses a template that does not pass `checkTemplate`. */
export function renderTemplate(t: TemplateSource, ctx: RenderContext): RenderedMessage {
  const issues = checkTemplate(t);
  if (issues.length) throw new DomainError("BAD_REQUEST", issues.map((i) => `${i.field}: ${i.message}`).join("; "));
  const body = withOptOut(t, renderText(t.body, t.channel, ctx));
  const subject = t.subject ? renderText(t.subject, t.channel, ctx) : undefined;
  return { ...(subject !== undefined ? { subject } : {}), body, ...(t.channel === "SMS" ? { sms: smsSegments(body) } : {}) };
}

/** A short link of the real length (a 7-digit contact id), so the preview counts SMS parts right. */
const SAMPLE_LINK = "https://mkt.bank.example/t/1aB2c3D4e5F6g";
const SAMPLE: RenderContext = { customer: { name: "张三丰", gender: "M" }, productName: "稳享90天", link: SAMPLE_LINK };

export interface TemplatePreview {
  rendered: RenderedMessage | null;
  issues: TemplateIssue[];
}

/** The template as a sample (or given) customer would receive it, with what is wrong with it. */
export function previewTemplate(t: TemplateSource, ctx: Partial<RenderContext> & { linkBaseUrl?: string } = {}): TemplatePreview {
  const issues = checkTemplate(t);
  if (issues.length) return { rendered: null, issues };
  const link = ctx.link ?? (ctx.linkBaseUrl ? `${ctx.linkBaseUrl.replace(/\/+$/, "")}/t/1aB2c3D4e5F6g` : SAMPLE_LINK);
  return { rendered: renderTemplate(t, { customer: ctx.customer ?? SAMPLE.customer, productName: ctx.productName ?? SAMPLE.productName ?? null, link }), issues };
}
