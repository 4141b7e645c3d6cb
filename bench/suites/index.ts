/** The suite registry: a new suite is one file in this folder and one line here. */
import type { Suite } from "../lib/suite";
import { dispatchSuite } from "./dispatch";
import { exportSuite } from "./export";
import { eventsSuite } from "./events";
import { segmentsSuite } from "./segments";
import { seedSuite } from "./seed";
import { tagsSuite } from "./tags";
import { trackingSuite } from "./tracking";
import { triggerSuite } from "./trigger";

export const suites: Record<string, Suite> = {
  dispatch: dispatchSuite,
  events: eventsSuite,
  export: exportSuite,
  seed: seedSuite,
  segments: segmentsSuite,
  tags: tagsSuite,
  tracking: trackingSuite,
  trigger: triggerSuite,
};
