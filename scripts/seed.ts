/**
 * `pnpm seed`: the synthetic bank (packages/db/src/seed/cli.ts, same arguments) and, with
 * `--demo`, the tag center on top — the starter tag library and one batch run, so the console's
 * segments have tag values from the first start.
 */
import { exitWith, seedCli } from "../packages/db/src/seed/cli";
import { seedDemoCampaigns } from "../packages/core/src/campaigns/manage/seed";
import { seedDemoSegments } from "../packages/core/src/segments/seed";
import { seedTagCenter } from "../packages/core/src/tags/seed";

exitWith(
  seedCli({
    afterSeed: async ({ databaseUrl, asOf }) => {
      const t0 = performance.now();
      const { tagsCreated, run } = await seedTagCenter(databaseUrl, { asOf });
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`\nTag center: ${tagsCreated} library tags installed, run #${run.runId} computed ${run.tags} tags × ${run.customers.toLocaleString("en")} customers in ${seconds} s`);
      const { segments } = await seedDemoSegments(databaseUrl);
      console.log(`Segments: ${segments} demo segments with their first snapshots`);
      const { campaigns } = await seedDemoCampaigns(databaseUrl);
      console.log(`Campaigns: ${campaigns} demo campaigns (one awaiting approval)`);
    },
  }),
);
