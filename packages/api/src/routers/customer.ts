/** Customers: scoped search, the 360° view, and audited unmasking. Bodies call core use cases. */
import { getCustomer360, customer360Output } from "@mkt/core/customer/customer-360";
import { customerSearchInput, customerSearchOutput, searchCustomers } from "@mkt/core/customer/search";
import { unmaskCustomer, unmaskInput, unmaskOutput } from "@mkt/core/customer/unmask";
import { z } from "zod";
import { customerProcedure } from "../resources";
import { procedure, router } from "../trpc";

const customerId = z.object({ customerId: z.number().int().positive() });

export const customerRouter = router({
  search: procedure
    .meta({ permission: "customer:read", scope: "org" })
    .input(customerSearchInput)
    .output(customerSearchOutput)
    .query(({ ctx, input }) => searchCustomers(ctx.db, ctx.scope, input)),

  get360: customerProcedure
    .meta({ permission: "customer:read", scope: "org" })
    .input(customerId)
    .output(customer360Output)
    .query(({ ctx }) => getCustomer360(ctx.db, ctx.customer.id)),

  unmask: customerProcedure
    .meta({ permission: "customer:unmask", scope: "org" })
    .input(customerId.extend(unmaskInput.shape))
    .output(unmaskOutput)
    .mutation(({ ctx, input }) => unmaskCustomer(ctx.db, ctx.user, ctx.customer.id, input, ctx.ip)),
});
