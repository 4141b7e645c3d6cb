/**
 * Leads (商机线索) handed to RMs by campaigns' lead nodes, for the simple list of this issue (the
 * RM workbench comes later): an RM sees the leads of their own customers, a manager those of the
 * customers in their org subtree. Customer names leave here masked, as everywhere in lists.
 */
import type { Db, Prisma } from "@mkt/db";
import { z } from "zod";
import { maskName } from "../../auth/masking";
import { customerScopeWhere } from "../../auth/scope-query";
import type { OrgScope } from "../../auth/scope";

const LEAD_STATUSES = ["OPEN", "IN_PROGRESS", "WON", "LOST", "EXPIRED"] as const;

export const leadListInput = z.strictObject({
  status: z.enum(LEAD_STATUSES).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export const leadListOutput = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      customer: z.object({ id: z.number(), name: z.string() }),
      rm: z.object({ id: z.string(), name: z.string() }).nullable(),
      campaign: z.object({ id: z.string(), name: z.string() }).nullable(),
      priority: z.enum(["HIGH", "MEDIUM", "LOW"]),
      status: z.enum(LEAD_STATUSES),
      dueAt: z.date(),
      createdAt: z.date(),
    }),
  ),
  total: z.number(),
});

export async function listLeads(db: Db, scope: OrgScope, input: z.infer<typeof leadListInput>): Promise<z.infer<typeof leadListOutput>> {
  const where: Prisma.LeadWhereInput = {
    customer: customerScopeWhere(scope),
    ...(scope.kind === "rm" && { rmId: scope.rmId }),
    ...(input.status && { status: input.status }),
  };
  const [rows, total] = await Promise.all([
    db.lead.findMany({
      where,
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
      include: {
        customer: { select: { id: true, name: true } },
        rm: { select: { id: true, name: true } },
        campaign: { select: { id: true, name: true } },
      },
    }),
    db.lead.count({ where }),
  ]);
  return {
    items: rows.map((l) => ({
      id: l.id,
      customer: { id: l.customer.id, name: maskName(l.customer.name) },
      rm: l.rm,
      campaign: l.campaign,
      priority: l.priority,
      status: l.status,
      dueAt: l.dueAt,
      createdAt: l.createdAt,
    })),
    total,
  };
}
