/**
 * Test fixture (integration tests only): a campaign with one run and `count` contacts on a channel,
 * each for its own customer of a private org tree, in the given status.
 */
import { createCustomer, createOrgTree, createUser } from "@mkt/db/seed/factories";
import type { Campaign, CampaignRun, Contact, Customer, Db, OrgUnit, User } from "@mkt/db";
import { randomBytes } from "node:crypto";
import type { Channel } from "./provider";

export interface ContactFixture {
  campaign: Campaign;
  run: CampaignRun;
  customers: Customer[];
  contacts: Contact[];
  orgUnit: OrgUnit;
  rm: User;
}

export async function createContactFixture(
  db: Db,
  opts: { channel?: Channel; count?: number; status?: Contact["status"]; stepId?: string; flow?: object; control?: boolean[] } = {},
): Promise<ContactFixture> {
  const { channel = "SMS", count = 3, status = "SENT", stepId = "step-1" } = opts;
  const org = await createOrgTree(db);
  const manager = await createUser(db, { role: "MARKETING_MANAGER", orgUnit: org.headOffice });
  const rm = await createUser(db, { role: "RM", orgUnit: org.subBranch });
  const flow = opts.flow ?? { version: 1, nodes: [], edges: [] };
  const campaign = await db.campaign.create({
    data: {
      code: `C${randomBytes(4).toString("hex")}`,
      name: "测试活动",
      audienceKind: "SEGMENT",
      scheduleKind: "NOW",
      flow,
      createdById: manager.id,
      orgUnitId: org.headOffice.id,
    },
  });
  const run = await db.campaignRun.create({ data: { campaignId: campaign.id, launchKey: "once", flow, flowVersion: 1 } });
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) customers.push(await createCustomer(db, { orgUnit: org.subBranch, rm, name: "张三丰" }));
  const contacts: Contact[] = [];
  for (const [i, c] of customers.entries()) {
    const control = opts.control?.[i] ?? false;
    contacts.push(
      await db.contact.create({
        data: {
          runId: run.id,
          campaignId: campaign.id,
          customerId: c.id,
          stepId,
          channel,
          status: control ? "SUPPRESSED" : status,
          control,
          ...(control ? { suppressionReason: "CONTROL_GROUP" as const } : { sentAt: new Date() }),
        },
      }),
    );
  }
  return { campaign, run, customers, contacts, orgUnit: org.subBranch, rm };
}
