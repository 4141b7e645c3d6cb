/**
 * Renders a channel template for one recipient at send time. Variables: `{{name}}` (masked as
 * the channel requires: the call centre sees the full name, written channels only the surname),
 * `{{product}}`, `{{link}}` (the personalised short link). Marketing SMS carry the opt-out text.
 * Unknown variables render empty.
 */
import { maskName } from "../../auth/masking";

export interface TemplateParts {
  channel: string;
  subject: string | null;
  body: string;
  optOutText: string | null;
}

export interface TemplateVars {
  name: string;
  product?: string;
  link?: string;
}

export const DEFAULT_SMS_OPT_OUT = "拒收请回复R";

export function renderTemplate(t: TemplateParts, vars: TemplateVars): { subject?: string; body: string } {
  const values: Record<string, string> = {
    name: t.channel === "CALL" ? vars.name : maskName(vars.name),
    product: vars.product ?? "",
    link: vars.link ?? "",
  };
  const fill = (s: string) => s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => values[k] ?? "");
  let body = fill(t.body);
  if (t.channel === "SMS") {
    const optOut = t.optOutText?.trim() || DEFAULT_SMS_OPT_OUT;
    if (!body.includes(optOut)) body = `${body} ${optOut}`;
  }
  return { ...(t.subject ? { subject: fill(t.subject) } : {}), body };
}
