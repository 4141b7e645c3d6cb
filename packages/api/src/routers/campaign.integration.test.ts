/**
 * The campaign router end to end on the fixture bank: a marketing manager drafts a campaign over a
 * segment, writes templates and draws seed 001's flow (an unfinished flow is saved and answered
 * with its problems by node), submits; the author cannot approve, an approver sees the audience
 * after the guardrails, samples and cost, approves (audited); launch, pause, resume and cancel go
 * through the dispatcher; another branch's staff never see the campaign; leads follow the scope.
 */
import { seedExampleFlow } from "@mkt/core/campaigns/flow.fixtures";
import { RoaringBitmap32, bitmapToBytes } from "@mkt/core/segments/bitmap";
import { createTestDb, testRedisPrefix, type TestDb } from "@mkt/db/testing";
import { getJobsClient } from "@mkt/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callPath, outcome } from "../../test/call";
import { buildBank, contextFor, type Bank } from "../../test/fixtures";

let t: TestDb;
let bank: Bank;
let segmentId: string;
let campaignId: string;
let templates: { sms: string; call: string };

beforeAll(async () => {
  process.env.REDIS_PREFIX = testRedisPrefix();
  t = await createTestDb();
  bank = await buildBank(t.db);
  const ids = Object.values(bank.customers).map((c) => c.id);
  const segment = await t.db.segment.create({
    data: { name: "到期定期客户", kind: "STATIC", ownerId: bank.users.hoMarketing!.id, orgUnitId: bank.units.HO!.id, members: Buffer.from(bitmapToBytes(new RoaringBitmap32(ids))) },
  });
  await t.db.segmentSnapshot.create({ data: { segmentId: segment.id, trigger: "SAVE", count: ids.length, members: Buffer.from(bitmapToBytes(new RoaringBitmap32(ids))) } });
  segmentId = segment.id;
}, 120_000);
afterAll(async () => {
  await getJobsClient().close();
  await t?.drop();
});

const as = async (userKey: string) => contextFor(t.db, bank.users[userKey]!.id);
const draft = (over: Record<string, unknown> = {}) => ({
  name: "定期到期续存",
  goal: "到期客户续存",
  productIds: [],
  audience: { kind: "SEGMENT", segmentId },
  schedule: { kind: "NOW" },
  budget: 1000,
  costPerMessage: { SMS: 0.05, CALL: 1.5 },
  controlSharePct: 25,
  ...over,
});

describe("campaign router", () => {
  it("creates a draft over a visible segment; a segment out of scope is NOT_FOUND and nothing is created", async () => {
    const created = (await callPath(await as("hoMarketing"), "campaign.create", draft())) as { id: string };
    campaignId = created.id;
    const c = (await callPath(await as("hoMarketing"), "campaign.get", { campaignId })) as { status: string; byViewer: boolean; flow: { nodes: unknown[] }; controlSharePct: number; deliveryAlertPct: number };
    expect(c).toMatchObject({ status: "DRAFT", byViewer: true, controlSharePct: 25, deliveryAlertPct: 80 });
    expect(c.flow.nodes).toHaveLength(2);

    // The funnel's delivery-alert threshold is the campaign's own (percent; stored in basis points).
    expect(await outcome(await as("hoMarketing"), "campaign.update", { campaignId, draft: draft({ deliveryAlertPct: 92.5 }) })).toBe("OK");
    expect(((await callPath(await as("hoMarketing"), "campaign.get", { campaignId })) as { deliveryAlertPct: number }).deliveryAlertPct).toBe(92.5);
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).deliveryAlertBp).toBe(9250);
    expect(await outcome(await as("hoMarketing"), "campaign.update", { campaignId, draft: draft({ deliveryAlertPct: 101 }) })).toBe("BAD_REQUEST");
    expect(await outcome(await as("hoMarketing"), "campaign.update", { campaignId, draft: draft({ deliveryAlertPct: 0 }) })).toBe("OK");
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).deliveryAlertBp).toBe(0);

    const before = await t.db.campaign.count();
    expect(await outcome(await as("br01Manager"), "campaign.create", draft())).toBe("FORBIDDEN");
    const br01Segment = await t.db.segment.create({ data: { name: "BR01", kind: "STATIC", ownerId: bank.users.br01Admin!.id, orgUnitId: bank.units.BR01!.id } });
    const admin010 = await t.db.user.create({ data: { username: `adm010_${Date.now()}`, name: "分行管理员", email: `a${Date.now()}@t.bank`, role: "ADMIN", orgUnitId: bank.units.BR010!.id } });
    expect(await outcome(await contextFor(t.db, admin010.id), "campaign.create", draft({ audience: { kind: "SEGMENT", segmentId: br01Segment.id } }))).toBe("NOT_FOUND");
    expect(await outcome(await as("hoMarketing"), "campaign.create", draft({ schedule: { kind: "ON_TRIGGER" } }))).toBe("BAD_REQUEST");
    expect(await t.db.campaign.count()).toBe(before);
  });

  it("saves templates and an unfinished flow, answering its problems by node; then seed 001's flow is clean", async () => {
    const saved = (await callPath(await as("hoMarketing"), "campaign.saveTemplates", {
      campaignId,
      templates: [
        { channel: "SMS", name: "到期提醒", body: "尊敬的{{name}}，您的定期即将到期，续存详情：{{link}}", linkUrl: "https://bank.example/renew", optOutText: "拒收请回复R" },
        { channel: "CALL", name: "外呼话术", body: "您好，请问是{{name}}吗？" },
      ],
    })) as { ids: string[] };
    templates = { sms: saved.ids[0]!, call: saved.ids[1]! };

    const unfinished = seedExampleFlow({ sms: "", call: templates.call });
    unfinished.edges = unfinished.edges.filter((e) => e.source !== "rm-lead");
    const first = (await callPath(await as("hoMarketing"), "campaign.saveFlow", { campaignId, flow: unfinished })) as { flowVersion: number; errors: { nodeId?: string }[] };
    expect(first.flowVersion).toBe(2);
    expect(first.errors.map((e) => e.nodeId)).toContain("sms");
    expect(await outcome(await as("hoMarketing"), "campaign.submit", { campaignId })).toBe("BAD_REQUEST");

    // The preview renders with the dispatcher's renderer: a template it would refuse previews as a
    // draft (the unknown variable empty) with its problems, and is not sendable.
    const preview = (await callPath(await as("hoMarketing"), "campaign.previewTemplate", { campaignId, template: { channel: "SMS", body: "{{name}}您好 {{link}} {{oops}}" } })) as { body: string; warnings: unknown[]; sendable: boolean };
    expect(preview.body).toMatch(/^.\*+您好 \S+\/t\/\w+ $/);
    expect(preview.warnings).toEqual([{ code: "UNKNOWN_VARIABLE", variable: "oops" }, { code: "NO_OPT_OUT" }, { code: "LINK_WITHOUT_URL" }]);
    expect(preview.sendable).toBe(false);
    const good = (await callPath(await as("hoMarketing"), "campaign.previewTemplate", { campaignId, template: { channel: "SMS", body: "{{name}}您好 {{link}}", linkUrl: "https://bank.example/x", optOutText: "拒收请回复R" } })) as { body: string; sendable: boolean };
    expect(good.body).toMatch(/ 拒收请回复R$/);
    expect(good.sendable).toBe(true);

    // A send step whose template the dispatcher would refuse is a flow problem on that step, and
    // keeps the campaign from being submitted.
    await callPath(await as("hoMarketing"), "campaign.saveTemplates", {
      campaignId,
      templates: [
        { id: templates.sms, channel: "SMS", name: "到期提醒", body: "尊敬的{{name}}，您的定期即将到期", optOutText: "" },
        { id: templates.call, channel: "CALL", name: "外呼话术", body: "您好，请问是{{name}}吗？" },
      ],
    });
    const refused = (await callPath(await as("hoMarketing"), "campaign.saveFlow", { campaignId, flow: seedExampleFlow(templates) })) as { errors: { nodeId?: string; message: string }[] };
    expect(refused.errors).toEqual([{ nodeId: "sms", message: 'send "sms": template: a marketing SMS must carry the opt-out text (回复TD退订)' }]);
    expect(await outcome(await as("hoMarketing"), "campaign.submit", { campaignId })).toBe("BAD_REQUEST");
    await callPath(await as("hoMarketing"), "campaign.saveTemplates", {
      campaignId,
      templates: [
        { id: templates.sms, channel: "SMS", name: "到期提醒", body: "尊敬的{{name}}，您的定期即将到期，续存详情：{{link}}", linkUrl: "https://bank.example/renew", optOutText: "拒收请回复R" },
        { id: templates.call, channel: "CALL", name: "外呼话术", body: "您好，请问是{{name}}吗？" },
      ],
    });

    const done = (await callPath(await as("hoMarketing"), "campaign.saveFlow", { campaignId, flow: seedExampleFlow(templates) })) as { flowVersion: number; errors: unknown[] };
    expect(done).toEqual({ flowVersion: 4, errors: [] }); // 3: the refused flow; changed templates bump it again
    expect(await outcome(await as("hoMarketing"), "campaign.saveFlow", { campaignId, flow: { version: 1, nodes: "x", edges: [] } })).toBe("BAD_REQUEST");
  });

  it("submits; the author cannot approve; the approver sees audience, samples and cost, and approves (audited)", async () => {
    expect(await outcome(await as("hoMarketing"), "campaign.submit", { campaignId })).toBe("OK");
    expect(await outcome(await as("hoMarketing"), "campaign.update", { campaignId, draft: draft({ name: "改名" }) })).toBe("PRECONDITION_FAILED");
    expect(await outcome(await as("hoMarketing"), "campaign.approve", { campaignId })).toBe("FORBIDDEN");

    const review = (await callPath(await as("hoApprover"), "campaign.review", { campaignId })) as {
      audience: { ok: true; total: number; control: number; eligible: number; suppressed: { reason: string; count: number }[] };
      samples: { stepId: string; body: string }[];
      cost: { perCustomer: number; total: number; budget: number };
    };
    const a = review.audience;
    expect(a.ok).toBe(true);
    expect(a.total).toBe(Object.keys(bank.customers).length);
    expect(a.control + a.eligible + a.suppressed.reduce((s, r) => s + r.count, 0)).toBe(a.total);
    expect(review.samples.map((s) => s.stepId)).toEqual(expect.arrayContaining(["sms", "call"]));
    expect(review.samples.find((s) => s.stepId === "sms")!.body).not.toMatch(/\{\{/);
    expect(review.cost.perCustomer).toBeCloseTo(1.55);
    expect(review.cost.total).toBeCloseTo(1.55 * a.eligible);

    expect(await outcome(await as("hoApprover"), "campaign.reject", { campaignId, note: "" })).toBe("BAD_REQUEST");
    expect(await outcome(await as("hoApprover"), "campaign.approve", { campaignId, note: "合规已核" })).toBe("OK");
    expect(await outcome(await as("hoAdmin"), "campaign.approve", { campaignId })).toBe("PRECONDITION_FAILED");
    const audit = await t.db.auditLog.findMany({ where: { targetType: "campaign", targetId: campaignId } });
    expect(audit.map((x) => [x.action, x.actorId, x.reason])).toEqual([["APPROVE", bank.users.hoApprover!.id, "合规已核"]]);
  });

  it("an approver-role author is still refused: maker-checker is by user, not by role", async () => {
    const own = (await callPath(await as("hoAdmin"), "campaign.create", draft())) as { id: string };
    await callPath(await as("hoAdmin"), "campaign.saveTemplates", { campaignId: own.id, templates: [{ channel: "SMS", name: "s", body: "x", optOutText: "拒收请回复R" }, { channel: "CALL", name: "c", body: "y" }] });
    const tpl = await t.db.campaignTemplate.findMany({ where: { campaignId: own.id } });
    await callPath(await as("hoAdmin"), "campaign.saveFlow", { campaignId: own.id, flow: seedExampleFlow({ sms: tpl.find((x) => x.channel === "SMS")!.id, call: tpl.find((x) => x.channel === "CALL")!.id }) });
    await callPath(await as("hoAdmin"), "campaign.submit", { campaignId: own.id });
    expect(await outcome(await as("hoAdmin"), "campaign.approve", { campaignId: own.id })).toBe("PRECONDITION_FAILED");
    expect((await t.db.campaign.findUniqueOrThrow({ where: { id: own.id } })).status).toBe("PENDING_APPROVAL");
  });

  it("launches once, pauses, resumes and cancels through the dispatcher; the funnel shows the run", async () => {
    const launched = (await callPath(await as("hoMarketing"), "campaign.launch", { campaignId })) as { runId: string; created: boolean; audience: number };
    expect(launched).toMatchObject({ created: true, audience: Object.keys(bank.customers).length });
    const again = (await callPath(await as("hoMarketing"), "campaign.launch", { campaignId })) as { runId: string; created: boolean };
    expect(again).toEqual({ runId: launched.runId, created: false, audience: launched.audience });

    const funnel = (await callPath(await as("br01Manager"), "campaign.funnel", { campaignId }).catch((e: { code?: string }) => e.code)) as string;
    expect(funnel).toBe("NOT_FOUND");
    const f = (await callPath(await as("hoApprover"), "campaign.funnel", { campaignId })) as { status: string; runs: number; audience: number; alerts: unknown[] };
    expect(f).toMatchObject({ status: "RUNNING", runs: 1, audience: launched.audience, alerts: [] });

    expect(await outcome(await as("hoMarketing"), "campaign.resume", { campaignId })).toBe("PRECONDITION_FAILED");
    expect(await outcome(await as("hoMarketing"), "campaign.pause", { campaignId })).toBe("OK");
    expect(await outcome(await as("hoMarketing"), "campaign.resume", { campaignId })).toBe("OK");
    expect(await outcome(await as("hoApprover"), "campaign.cancel", { campaignId })).toBe("FORBIDDEN");
    expect(await outcome(await as("hoMarketing"), "campaign.cancel", { campaignId, reason: "活动提前结束" })).toBe("OK");
    expect((await t.db.campaignRun.findUniqueOrThrow({ where: { id: launched.runId } })).status).toBe("CANCELLED");
    const audit = await t.db.auditLog.findMany({ where: { targetType: "campaign", targetId: campaignId, action: "LAUNCH" }, orderBy: { id: "asc" } });
    expect(audit.map((x) => (x.details as { control?: string }).control ?? "launch")).toEqual(["launch", "pause", "resume", "cancel"]);
  });

  it("lists campaigns in scope only, and leads by scope (an RM: own)", async () => {
    const list = (await callPath(await as("hoMarketing"), "campaign.list", {})) as { items: { id: string; figures: { audience: number } }[] };
    expect(list.items.find((c) => c.id === campaignId)?.figures.audience).toBe(Object.keys(bank.customers).length);
    const br01 = (await callPath(await as("br01Manager"), "campaign.list", {})) as { items: unknown[] };
    expect(br01.items).toEqual([]);

    const cS01a = bank.customers.cS01a!;
    const cS02 = bank.customers.cS02!;
    const unit = (k: string) => bank.units[k]!.id;
    await t.db.lead.createMany({
      data: [
        { customerId: cS01a.id, rmId: bank.users.rmS01a!.id, orgUnitId: unit("BR01S01"), campaignId, dueAt: new Date(Date.now() + 86_400_000) },
        { customerId: cS02.id, rmId: bank.users.rmS02!.id, orgUnitId: unit("BR01S02"), campaignId, dueAt: new Date(Date.now() + 86_400_000) },
      ],
    });
    const leads = async (user: string) => ((await callPath(await as(user), "campaign.leads", {})) as { items: { customer: { id: number; name: string } }[] }).items;
    expect((await leads("rmS01a")).map((l) => l.customer.id)).toEqual([cS01a.id]);
    expect((await leads("rmS02")).map((l) => l.customer.id)).toEqual([cS02.id]);
    expect((await leads("br01Manager")).map((l) => l.customer.id).sort()).toEqual([cS01a.id, cS02.id].sort());
    expect(await leads("br010Manager")).toEqual([]);
    expect((await leads("rmS01a"))[0]!.customer.name).not.toBe(cS01a.name);
    expect(await outcome(await as("hoAnalyst"), "campaign.leads", {})).toBe("FORBIDDEN");
  });
});
