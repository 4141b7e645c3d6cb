/**
 * Demo segments for `pnpm seed --demo`: a few segments a bank's marketing team would really keep —
 * built by the head-office marketing manager (`marketing`) over the whole bank and by the branch
 * marketing manager (`marketing_br01`) over branch BR01 — each with its first snapshot, plus one
 * static segment made by a set operation. Needs the tag center's first run (seedTagCenter).
 */
import { createDb, type Db } from "@mkt/db";
import { scopeFor } from "../auth/scope";
import { DomainError } from "../domain-error";
import { createSetOpSegment } from "./overlap";
import type { SegmentRule } from "./rule";
import { saveNewRuleSegment } from "./save";
import type { SegmentActor } from "./segments";

interface DemoSegment {
  owner: string;
  name: string;
  description: string;
  rule: SegmentRule;
}

const DEMO: DemoSegment[] = [
  {
    owner: "marketing",
    name: "高净值客户",
    description: "AUM 白金及私行层级，财富管理重点维护对象。",
    rule: { kind: "tag", tag: "AUM_BAND", op: "in", values: ["PLATINUM", "PRIVATE"] },
  },
  {
    owner: "marketing",
    name: "代发工资未持有理财",
    description: "代发工资客户中尚未持有理财产品的，理财首购营销。",
    rule: { kind: "group", op: "and", children: [{ kind: "tag", tag: "PAYROLL_CUSTOMER", op: "eq", value: true }, { kind: "holding", category: "WEALTH", held: false }] },
  },
  {
    owner: "marketing",
    name: "30天内定期到期",
    description: "最近到期日在未来 30 天内，到期资金留存。",
    rule: { kind: "tag", tag: "NEXT_MATURITY_DATE", op: "withinDays", days: 30, direction: "next" },
  },
  {
    owner: "marketing",
    name: "手机银行活跃车主",
    description: "有 ETC 通行记录且近 30 天登录过手机银行，车主权益推广。",
    rule: {
      kind: "group",
      op: "and",
      children: [
        { kind: "tag", tag: "CAR_OWNER_ETC", op: "eq", value: true },
        { kind: "behavior", source: "app", eventType: "LOGIN", did: true, atLeast: 1, lastDays: 30 },
      ],
    },
  },
  {
    owner: "marketing_br01",
    name: "分行流失预警客户",
    description: "本分行流失预警或沉睡客户，客户经理挽留。",
    rule: {
      kind: "group",
      op: "or",
      children: [
        { kind: "tag", tag: "CHURN_RISK", op: "eq", value: true },
        { kind: "tag", tag: "LIFECYCLE_STAGE", op: "eq", value: "DORMANT" },
      ],
    },
  },
  {
    owner: "marketing_br01",
    name: "分行银发客群",
    description: "本分行 60 岁及以上客户（不含已持有保险的），养老规划营销。",
    rule: { kind: "group", op: "and", children: [{ kind: "tag", tag: "SENIOR_CUSTOMER", op: "eq", value: true }, { kind: "holding", category: "INSURANCE", held: false }] },
  },
];

async function actorOf(db: Db, username: string): Promise<SegmentActor & { name: string }> {
  const u = await db.user.findUniqueOrThrow({ where: { username }, include: { orgUnit: { select: { path: true } } } });
  return { id: u.id, name: u.name, role: u.role, orgUnitId: u.orgUnitId, orgPath: u.orgUnit.path };
}

export async function seedDemoSegments(databaseUrl: string): Promise<{ segments: number }> {
  const db = createDb(databaseUrl, { max: 3 });
  try {
    const ids = new Map<string, string>();
    for (const s of DEMO) {
      const actor = await actorOf(db, s.owner);
      const scope = scopeFor({ id: actor.id, role: actor.role, orgPath: actor.orgPath });
      ids.set(s.name, (await saveNewRuleSegment(db, actor, scope, { name: s.name, description: s.description, rule: s.rule })).id);
    }
    // A small bank may have nobody in the intersection: then there is no list to keep.
    const list = await createSetOpSegment(db, await actorOf(db, "marketing"), {
      op: "intersection",
      segmentIds: [ids.get("高净值客户")!, ids.get("30天内定期到期")!],
      name: "高净值到期客户（名单）",
      description: "高净值客户与 30 天内到期客户的交集，固定名单用于专项活动。",
    }).catch((err: unknown) => {
      if (err instanceof DomainError) return null;
      throw err;
    });
    return { segments: DEMO.length + (list ? 1 : 0) };
  } finally {
    await db.$disconnect();
  }
}
