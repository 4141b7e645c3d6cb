/**
 * The API's root router. Each domain adds its router here with one line; the router walk test
 * (test/router-guard.integration.test.ts) checks every procedure it reaches.
 */
import { apiKeyRouter } from "./routers/api-key";
import { auditRouter } from "./routers/audit";
import { campaignRouter } from "./routers/campaign";
import { customerRouter } from "./routers/customer";
import { dataQualityRouter } from "./routers/dataQuality";
import { identityRouter } from "./routers/identity";
import { importRouter } from "./routers/import";
import { meRouter } from "./routers/me";
import { orgRouter } from "./routers/org";
import { segmentRouter } from "./routers/segment";
import { segmentExportRouter } from "./routers/segment-export";
import { tagRouter } from "./routers/tag";
import { userRouter } from "./routers/user";
import { router } from "./trpc";

export const appRouter = router({
  me: meRouter,
  customer: customerRouter,
  org: orgRouter,
  user: userRouter,
  apiKey: apiKeyRouter,
  audit: auditRouter,
  import: importRouter,
  identity: identityRouter,
  dataQuality: dataQualityRouter,
  tag: tagRouter,
  segment: segmentRouter,
  segmentExport: segmentExportRouter,
  campaign: campaignRouter,
});

export type AppRouter = typeof appRouter;
