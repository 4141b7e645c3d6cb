/** The signed-in user: who they are, where in the org tree, what they may do; their language. */
import { z } from "zod";
import { ROLE_PERMISSIONS, ROLES, PERMISSIONS } from "@mkt/core";
import { procedure, router } from "../trpc";

const LOCALES = ["zh-CN", "en"] as const;

const meOutput = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  locale: z.string(),
  orgUnit: z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    nameEn: z.string(),
    path: z.string(),
    level: z.enum(["HEAD_OFFICE", "BRANCH", "SUB_BRANCH"]),
  }),
  permissions: z.array(z.enum(PERMISSIONS)),
});

export const meRouter = router({
  get: procedure
    .meta({ permission: "self", scope: "self" })
    .output(meOutput)
    .query(async ({ ctx }) => {
      const orgUnit = await ctx.db.orgUnit.findUniqueOrThrow({
        where: { id: ctx.user.orgUnitId },
        select: { id: true, code: true, name: true, nameEn: true, path: true, level: true },
      });
      const { id, username, name, role, locale } = ctx.user;
      return { id, username, name, role, locale, orgUnit, permissions: [...ROLE_PERMISSIONS[role]] };
    }),

  setLocale: procedure
    .meta({ permission: "self", scope: "self" })
    .input(z.object({ locale: z.enum(LOCALES) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.db.user.update({ where: { id: ctx.user.id }, data: { locale: input.locale } });
      return { locale: input.locale };
    }),
});
