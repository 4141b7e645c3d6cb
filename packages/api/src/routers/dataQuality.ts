/** The data-quality report (数据质量) over the source records of the caller's org subtree. */
import { dataQualityReport, qualityReportOutput } from "@mkt/core/quality/report";
import { procedure, router } from "../trpc";

export const dataQualityRouter = router({
  report: procedure
    .meta({ permission: "import:read", scope: "org" })
    .output(qualityReportOutput)
    .query(({ ctx }) => dataQualityReport(ctx.db, ctx.scope)),
});
