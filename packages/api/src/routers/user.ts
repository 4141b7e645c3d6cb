/** Staff users and roles: listed within the caller's subtree; managed by admins (audited). */
import {
  createUser,
  listUsers,
  setUserActive,
  updateUser,
  userCreateInput,
  userListInput,
  userListOutput,
  userSetActiveInput,
  userUpdateInput,
} from "@mkt/core/admin/users";
import { optionalOrgUnitProcedure, orgUnitProcedure, userProcedure, userWithOptionalOrgUnitProcedure } from "../resources";
import { router } from "../trpc";

export const userRouter = router({
  list: optionalOrgUnitProcedure
    .meta({ permission: "user:read", scope: "org" })
    .input(userListInput)
    .output(userListOutput)
    .query(({ ctx, input }) => listUsers(ctx.db, ctx.scope, input, ctx.orgUnit)),

  create: orgUnitProcedure
    .meta({ permission: "user:manage", scope: "global" })
    .input(userCreateInput)
    .mutation(({ ctx, input }) => createUser(ctx.db, ctx.user, input, ctx.ip)),

  update: userWithOptionalOrgUnitProcedure
    .meta({ permission: "user:manage", scope: "global" })
    .input(userUpdateInput)
    .mutation(({ ctx, input }) => updateUser(ctx.db, ctx.user, input, ctx.ip)),

  setActive: userProcedure
    .meta({ permission: "user:manage", scope: "global" })
    .input(userSetActiveInput)
    .mutation(({ ctx, input }) => setUserActive(ctx.db, ctx.user, ctx.targetUser.id, input.active, ctx.ip)),
});
