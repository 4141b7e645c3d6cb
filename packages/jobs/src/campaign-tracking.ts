/**
 * Campaign tracking contracts. `campaigns.attribute-conversions` finds the contacts whose customer
 * bought a promoted product within the attribution window (core/campaigns/tracking/attribution.ts):
 * on a schedule over every campaign with an open window, or on demand for one campaign. Idempotent,
 * so a retry or an overlapping run records nothing twice.
 */
import { z } from "zod";
import { defineJob, producer } from "./contract";
import { QUEUES } from "./queues";

export const attributeConversionsJob = defineJob({
  queue: QUEUES.campaigns,
  name: "campaigns.attribute-conversions",
  schema: z.strictObject({
    campaignId: z.string().min(1).max(200).optional(),
    /** Contacts whose window ended more than this many days ago are not looked at again. */
    lookbackDays: z.number().int().min(1).max(400).default(2),
  }),
  options: { attempts: 3, backoff: { type: "exponential", delay: 30_000 }, removeOnComplete: { age: 7 * 24 * 3600, count: 500 } },
});

export const enqueueAttributeConversions = producer(attributeConversionsJob);
