/**
 * Demo campaigns for `pnpm seed --demo`, by the head-office marketing manager over the demo
 * segment "30天内定期到期": seed 001's flow (SMS → wait 2 days → no response: call; interested on
 * the call: lead to the RM) awaiting approval — so the approver has one to review — and an
 * app-push A/B test still being drawn. Needs the demo segments (seedDemoSegments).
 */
import { createDb, type Db } from "@mkt/db";
import { scopeFor } from "../../auth/scope";
import { seedExampleFlow } from "../flow.fixtures";
import { submitCampaign } from "./approval";
import { createCampaign, saveFlow, saveTemplates } from "./drafts";
import { DEFAULT_DELIVERY_ALERT_PCT } from "./inputs";

async function marketing(db: Db) {
  const u = await db.user.findUniqueOrThrow({ where: { username: "marketing" }, include: { orgUnit: { select: { path: true } } } });
  return { actor: { id: u.id, name: u.name, role: u.role, orgUnitId: u.orgUnitId }, scope: scopeFor({ id: u.id, role: u.role, orgPath: u.orgUnit.path }) };
}

export async function seedDemoCampaigns(databaseUrl: string): Promise<{ campaigns: number }> {
  const db = createDb(databaseUrl, { max: 3 });
  try {
    const segment = await db.segment.findFirst({ where: { name: "30天内定期到期" }, select: { id: true } });
    if (!segment) return { campaigns: 0 };
    const { actor, scope } = await marketing(db);
    const products = await db.product.findMany({ where: { category: "TIME_DEPOSIT", active: true }, take: 1, select: { id: true } });
    const base = {
      productIds: products.map((p) => p.id),
      audience: { kind: "SEGMENT" as const, segmentId: segment.id },
      schedule: { kind: "NOW" as const, triggerDelayMinutes: 0 },
      quietHoursPolicy: "DEFER" as const,
      attributionDays: 14,
      deliveryAlertPct: DEFAULT_DELIVERY_ALERT_PCT,
    };

    const renew = await createCampaign(db, actor, scope, {
      ...base,
      name: "定期到期续存（短信 + 外呼 + 客户经理）",
      goal: "30 天内到期的定期客户续存，未响应的由呼叫中心跟进，有意向的交给客户经理。",
      budget: 20_000,
      costPerMessage: { SMS: 0.05, CALL: 1.5 },
      controlSharePct: 10,
    });
    const [sms, call] = (
      await saveTemplates(db, renew.id, [
        { channel: "SMS", name: "到期提醒短信", body: "尊敬的{{name}}，您的定期存款将于近期到期，{{product}}现可续存，详情：{{link}}", optOutText: "拒收请回复R", linkUrl: "https://bank.example/renew" },
        { channel: "CALL", name: "外呼话术", body: "您好，请问是{{name}}吗？您的定期存款即将到期，想向您介绍{{product}}的续存方案……" },
      ])
    ).ids;
    await saveFlow(db, renew.id, seedExampleFlow({ sms: sms!, call: call! }));
    await submitCampaign(db, renew.id);

    await createCampaign(db, actor, scope, {
      ...base,
      name: "掌银推送文案 A/B 测试（草稿）",
      goal: "比较两版推送文案的点击率。",
      costPerMessage: { APP_PUSH: 0 },
      controlSharePct: 5,
    });
    return { campaigns: 2 };
  } finally {
    await db.$disconnect();
  }
}
