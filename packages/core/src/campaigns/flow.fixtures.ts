/**
 * Seed 001's example flow: SMS first; after two days, those who did not respond get a call from
 * the call centre; those interested on the call are handed to their RM as a lead.
 * Template ids are placeholders the caller replaces with the campaign's own.
 */
import type { Flow } from "./flow";

export function seedExampleFlow(templates: { sms: string; call: string } = { sms: "tpl-sms", call: "tpl-call" }): Flow {
  return {
    version: 1,
    nodes: [
      { id: "entry", type: "entry", label: "Audience" },
      { id: "sms", type: "send", channel: "SMS", templateId: templates.sms },
      { id: "wait-sms", type: "wait", wait: { kind: "duration", amount: 2, unit: "days" } },
      { id: "sms-responded", type: "branch", condition: { kind: "outcome", stepId: "sms", outcome: "RESPONDED" } },
      { id: "call", type: "send", channel: "CALL", templateId: templates.call },
      { id: "wait-call", type: "wait", wait: { kind: "duration", amount: 1, unit: "days" } },
      { id: "call-interested", type: "branch", condition: { kind: "outcome", stepId: "call", outcome: "RESPONDED" } },
      { id: "rm-lead", type: "lead", priority: "HIGH", dueInDays: 3 },
      { id: "done", type: "exit" },
    ],
    edges: [
      { source: "entry", target: "sms" },
      { source: "sms", target: "wait-sms" },
      { source: "wait-sms", target: "sms-responded" },
      { source: "sms-responded", target: "done", handle: "yes" },
      { source: "sms-responded", target: "call", handle: "no" },
      { source: "call", target: "wait-call" },
      { source: "wait-call", target: "call-interested" },
      { source: "call-interested", target: "rm-lead", handle: "yes" },
      { source: "call-interested", target: "done", handle: "no" },
      { source: "rm-lead", target: "done" },
    ],
  };
}
