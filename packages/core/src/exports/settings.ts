/**
 * Admin settings of exports (`Setting` rows): the row count above which an unmasked export needs
 * a second person's approval, and how long a download link works.
 */
import { z } from "zod";
import { writeAudit, type Db } from "@mkt/db";
import type { ExportActor } from "./requests";

const KEY = "exports";

export const exportSettingsSchema = z.strictObject({
  /** Unmasked exports of more rows than this wait for approval (0: every unmasked export). */
  approvalThreshold: z.number().int().min(0).max(100_000_000),
  /** Hours a finished file can be downloaded. */
  linkHours: z.number().int().min(1).max(24 * 30),
});
export type ExportSettings = z.infer<typeof exportSettingsSchema>;

export const DEFAULT_EXPORT_SETTINGS: ExportSettings = { approvalThreshold: 1_000, linkHours: 24 };

export async function getExportSettings(db: Db): Promise<ExportSettings> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  const parsed = exportSettingsSchema.partial().safeParse(row?.value ?? {});
  return { ...DEFAULT_EXPORT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export async function setExportSettings(db: Db, actor: ExportActor, settings: ExportSettings): Promise<ExportSettings> {
  const value = exportSettingsSchema.parse(settings);
  await db.$transaction(async (tx) => {
    await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value, updatedBy: actor.id }, update: { value, updatedBy: actor.id } });
    await writeAudit(tx, { action: "SETTINGS_CHANGE", actor, targetType: "Setting", targetId: KEY, details: value });
  });
  return value;
}
