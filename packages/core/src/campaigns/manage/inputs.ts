/**
 * What the console sends to design a campaign: the draft's settings (goal, products, audience,
 * schedule, budget, control share) and its templates per channel. The flow is saved on its own
 * (drafts.ts `saveFlow`) and checked by ../flow.ts.
 */
import { z } from "zod";
import { campaignTriggerSchema } from "../trigger";

/** The delivery-alert threshold a campaign starts with (percent of sent messages delivered). */
export const DEFAULT_DELIVERY_ALERT_PCT = 80;

const text = (max: number) => z.string().trim().min(1).max(max);
const CHANNELS = ["SMS", "EMAIL", "APP_PUSH", "WECHAT", "CALL", "RM_TASK"] as const;
export const channelSchema = z.enum(CHANNELS);

export const audienceInput = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("SEGMENT"),
    segmentId: z.string().min(1).max(64),
    /** Pin this snapshot; absent: the newest snapshot at launch. */
    snapshotId: z.string().min(1).max(64).optional(),
  }),
  z.strictObject({
    kind: z.literal("EVENT_TRIGGER"),
    /** A condition on a real-time tag's new value (../trigger.ts). */
    trigger: campaignTriggerSchema,
  }),
]);
export type AudienceInput = z.infer<typeof audienceInput>;

export const scheduleInput = z
  .strictObject({
    kind: z.enum(["NOW", "AT", "RECURRING", "ON_TRIGGER"]),
    startAt: z.coerce.date().optional(),
    endAt: z.coerce.date().optional(),
    cron: z.string().trim().max(100).optional(),
    /** ON_TRIGGER: send this long after the event … */
    triggerDelayMinutes: z.number().int().min(0).max(60 * 24 * 30).default(0),
    /** … and drop it when not sent within this window (absent: no limit). */
    triggerWindowMinutes: z.number().int().min(1).max(60 * 24 * 30).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.kind === "AT" && !s.startAt) ctx.addIssue({ code: "custom", path: ["startAt"], message: "a scheduled campaign needs its start time" });
    if (s.kind === "RECURRING" && !s.cron) ctx.addIssue({ code: "custom", path: ["cron"], message: "a recurring campaign needs its cron expression" });
    if (s.startAt && s.endAt && s.endAt <= s.startAt) ctx.addIssue({ code: "custom", path: ["endAt"], message: "the end must come after the start" });
  });
export type ScheduleInput = z.infer<typeof scheduleInput>;

export const draftInput = z
  .strictObject({
    name: text(100),
    goal: z.string().trim().max(500).optional(),
    productIds: z.array(z.number().int().positive()).max(20).default([]),
    audience: audienceInput,
    schedule: scheduleInput,
    /** CNY; absent: no budget. */
    budget: z.number().min(0).max(1e12).optional(),
    /** Cost of one message per channel (CNY); absent channels cost 0. */
    costPerMessage: z.partialRecord(channelSchema, z.number().min(0).max(1000)).default({}),
    /** Share of the audience held back as the control group, in percent (0–50). */
    controlSharePct: z.number().min(0).max(50).default(0),
    quietHoursPolicy: z.enum(["DEFER", "DROP"]).default("DEFER"),
    attributionDays: z.number().int().min(1).max(90).default(14),
    /** The funnel's delivery alert fires below this delivery rate, in percent (0: never); default 80. */
    deliveryAlertPct: z.number().min(0).max(100).default(DEFAULT_DELIVERY_ALERT_PCT),
  })
  .superRefine((d, ctx) => {
    if (d.audience.kind === "EVENT_TRIGGER" && d.schedule.kind !== "ON_TRIGGER") {
      ctx.addIssue({ code: "custom", path: ["schedule", "kind"], message: "an event-triggered audience is scheduled ON_TRIGGER" });
    }
    if (d.audience.kind === "SEGMENT" && d.schedule.kind === "ON_TRIGGER") {
      ctx.addIssue({ code: "custom", path: ["schedule", "kind"], message: "ON_TRIGGER needs an event-triggered audience" });
    }
  });
export type DraftInput = z.infer<typeof draftInput>;

export const templateInput = z.strictObject({
  /** Absent: a new template. */
  id: z.string().min(1).max(64).optional(),
  channel: channelSchema,
  name: text(100),
  subject: z.string().trim().max(200).optional(),
  body: text(2000),
  optOutText: z.string().trim().max(100).optional(),
  linkUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
});
export type TemplateInput = z.infer<typeof templateInput>;

export const decisionNote = z.string().trim().max(500);
