/**
 * Message templates (one per channel) — the ONE renderer of the platform: the dispatcher renders
 * each recipient's message with `renderTemplate`, the template editor's live preview and the
 * approver's sample messages with `previewTemplate` (manage/preview.ts), so what is previewed and
 * approved is what is sent. `checkTemplate` lists the rules a template must pass before it can be
 * used; submission refuses a campaign whose send steps use a template that does not pass them.
 *
 * Variables (`{{ name }}`, spaces allowed)
 *   {{name}}        the customer's name, masked as the channel requires: 张** on SMS, push, WeChat,
 *                   e-mail and RM notes (messages can be seen by others); on a call script the
 *                   polite form 张先生 / 张女士 the agent reads out
 *   {{salutation}}  the polite form 张先生 / 张女士 (张先生/女士 when the gender is unknown)
 *   {{product}}     the promoted product's name
 *   {{link}}        the contact's personalised short link (tracking/short-link.ts)
 * Any other `{{word}}` (letters, digits, _) is an unknown variable: the template is refused (a
 * preview renders it empty and says so).
 * Marketing SMS must carry the opt-out text (回复TD退订): the template's `optOutText` is appended
 * once, when the body does not already say it, and a marketing SMS with neither is refused.
 */
import { maskName } from "../auth/masking";
import { DomainError } from "../domain-error";
import type { Channel } from "./channels/provider";
import { MAX_SMS_PARTS, smsSegments, type SmsSegments } from "./channels/sms-encoding";

export const TEMPLATE_VARIABLES = ["name", "salutation", "product", "link"] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export const DEFAULT_OPT_OUT_TEXT = "回复TD退订";
/** What counts as an opt-out instruction: 回复TD退订, 回T退订, 退订回TD, 拒收请回复R, Reply R to opt out … */
const OPT_OUT = /(回复?\s*(TD|T|N|R)\s*(退订|拒收))|(退订\s*(请)?回复?\s*(TD|T|N|R))|(拒收请回复\s*R)|(reply\s+(TD|T|N|R|STOP)\s+to\s+(opt[\s-]*out|unsubscribe))/i;
/** Any `{{word}}`: known variables render, the others are reported (not sent as typed). */
const VARIABLE = /\{\{\s*(\w+)\s*\}\}/g;

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

/** Why a template cannot be used; `code` (and `variable` / `parts`) for the console to word it. */
export type TemplateIssueCode = "UNKNOWN_VARIABLE" | "EMPTY_BODY" | "BAD_OPT_OUT" | "NO_OPT_OUT" | "LINK_WITHOUT_URL" | "BAD_LINK_URL" | "NO_SUBJECT" | "SMS_TOO_LONG";

export interface TemplateIssue {
  field: "body" | "subject" | "optOutText" | "linkUrl";
  code: TemplateIssueCode;
  message: string;
  /** UNKNOWN_VARIABLE: the variable as written (without braces). */
  variable?: string;
  /** SMS_TOO_LONG: the parts it would take. */
  parts?: number;
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
    const unknown = [...new Set(variablesOf(text).filter((v) => !isKnown(v)))];
    for (const variable of unknown) issues.push({ field, code: "UNKNOWN_VARIABLE", variable, message: `unknown variable {{${variable}}}; use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(", ")}` });
  }
  if (!t.body.trim()) issues.push({ field: "body", code: "EMPTY_BODY", message: "the message is empty" });
  if (t.optOutText?.trim() && !OPT_OUT.test(t.optOutText)) issues.push({ field: "optOutText", code: "BAD_OPT_OUT", message: `the opt-out text must tell how to unsubscribe, e.g. ${DEFAULT_OPT_OUT_TEXT}` });
  if (needsOptOut(t) && !OPT_OUT.test(t.body) && !(t.optOutText?.trim() && OPT_OUT.test(t.optOutText))) {
    issues.push({ field: "optOutText", code: "NO_OPT_OUT", message: `a marketing SMS must carry the opt-out text (${DEFAULT_OPT_OUT_TEXT})` });
  }
  if (variablesOf(`${t.subject ?? ""}${t.body}`).includes("link") && !t.linkUrl) issues.push({ field: "linkUrl", code: "LINK_WITHOUT_URL", message: "{{link}} needs a landing page URL" });
  if (t.linkUrl && !/^https?:\/\/\S+$/i.test(t.linkUrl)) issues.push({ field: "linkUrl", code: "BAD_LINK_URL", message: "the landing page must be an http(s) URL" });
  if (t.channel === "EMAIL" && !t.subject?.trim()) issues.push({ field: "subject", code: "NO_SUBJECT", message: "an e-mail needs a subject" });
  if (t.channel === "SMS" && issues.length === 0) {
    const { segments } = smsSegments(withOptOut(t, renderText(t.body, t.channel, SAMPLE, false)));
    if (segments > MAX_SMS_PARTS) issues.push({ field: "body", code: "SMS_TOO_LONG", parts: segments, message: `the SMS would take ${segments} parts; at most ${MAX_SMS_PARTS}` });
  }
  return issues;
}

function isKnown(v: string): v is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(v);
}

/**
 * Fills the variables. `draft` (previews only): what cannot be filled — an unknown variable, a
 * missing product or link — renders empty instead of refusing, so an unfinished template still
 * shows; `checkTemplate` and the preview's warnings say what is missing.
 */
function renderText(text: string, channel: Channel, ctx: RenderContext, draft: boolean): string {
  return text.replace(VARIABLE, (_, v: string) => {
    switch (v) {
      case "name":
        return channelName(channel, ctx.customer);
      case "salutation":
        return salutation(ctx.customer);
      case "product":
        if (!ctx.productName) {
          if (draft) return "";
          throw new DomainError("BAD_REQUEST", "{{product}} needs the campaign's product");
        }
        return ctx.productName;
      case "link":
        if (!ctx.link) {
          if (draft) return "";
          throw new DomainError("BAD_REQUEST", "{{link}} needs the contact's short link");
        }
        return ctx.link;
      default:
        if (draft) return "";
        throw new DomainError("BAD_REQUEST", `unknown variable {{${v}}}`);
    }
  });
}

function rendered(t: TemplateSource, ctx: RenderContext, draft: boolean): RenderedMessage {
  const body = withOptOut(t, renderText(t.body, t.channel, ctx, draft));
  const subject = t.subject ? renderText(t.subject, t.channel, ctx, draft) : undefined;
  return { ...(subject !== undefined ? { subject } : {}), body, ...(t.channel === "SMS" ? { sms: smsSegments(body) } : {}) };
}

/** Renders a template for one recipient; refuses a template that does not pass `checkTemplate`. */
export function renderTemplate(t: TemplateSource, ctx: RenderContext): RenderedMessage {
  const issues = checkTemplate(t);
  if (issues.length) throw new DomainError("BAD_REQUEST", issues.map((i) => `${i.field}: ${i.message}`).join("; "));
  return rendered(t, ctx, false);
}

/**
 * A template checked once, rendering many recipients (the dispatcher's chunks): the same text as
 * `renderTemplate`, without the SMS part count. A template that fails `checkTemplate` gives a
 * renderer that refuses every recipient with the same error.
 */
export function compileTemplate(t: TemplateSource): (ctx: RenderContext) => { subject?: string; body: string } {
  const issues = checkTemplate(t);
  if (issues.length) {
    const message = issues.map((i) => `${i.field}: ${i.message}`).join("; ");
    return () => {
      throw new DomainError("BAD_REQUEST", message);
    };
  }
  return (ctx) => {
    const body = withOptOut(t, renderText(t.body, t.channel, ctx, false));
    return t.subject ? { subject: renderText(t.subject, t.channel, ctx, false), body } : { body };
  };
}

/** A short link of the real length (a 7-digit contact id), so the preview counts SMS parts right. */
const SAMPLE_LINK = "https://mkt.bank.example/t/1aB2c3D4e5F6g";
const SAMPLE: RenderContext = { customer: { name: "张三丰", gender: "M" }, productName: "稳享90天", link: SAMPLE_LINK };

export interface TemplatePreview {
  /** The message as it would be sent; for a template with issues, a draft (what cannot be filled renders empty). */
  rendered: RenderedMessage;
  issues: TemplateIssue[];
  /** No issues, and every variable it uses can be filled (a `{{product}}` needs the campaign's product): it would be sent as shown. */
  sendable: boolean;
}

/**
 * The template as a sample (or given) customer would receive it, with what is wrong with it. The
 * link is a placeholder of the real short link's length (so SMS parts are counted right); pass
 * `productName: null` for a campaign without product (the sample product otherwise).
 */
export function previewTemplate(t: TemplateSource, ctx: Partial<RenderContext> & { linkBaseUrl?: string } = {}): TemplatePreview {
  const issues = checkTemplate(t);
  const link = ctx.link ?? (ctx.linkBaseUrl ? `${ctx.linkBaseUrl.replace(/\/+$/, "")}/t/1aB2c3D4e5F6g` : SAMPLE_LINK);
  const full: RenderContext = { customer: ctx.customer ?? SAMPLE.customer, productName: ctx.productName === undefined ? SAMPLE.productName! : ctx.productName, link };
  const fillable = !variablesOf(`${t.subject ?? ""}${t.body}`).includes("product") || !!full.productName;
  return { rendered: rendered(t, full, issues.length > 0 || !fillable), issues, sendable: issues.length === 0 && fillable };
}

/** The variables a template uses (known or not), in order of first use. */
export function templateVariables(t: Pick<TemplateSource, "subject" | "body">): string[] {
  return [...new Set(variablesOf(`${t.subject ?? ""} ${t.body}`))];
}
