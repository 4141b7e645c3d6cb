/** The suite registry: a new suite is one file in this folder and one line here. */
import type { Suite } from "../lib/suite";
import { exportSuite } from "./export";
import { eventsSuite } from "./events";
import { segmentsSuite } from "./segments";
import { seedSuite } from "./seed";
import { tagsSuite } from "./tags";

export const suites: Record<string, Suite> = {
  events: eventsSuite,
  export: exportSuite,
  seed: seedSuite,
  segments: segmentsSuite,
  tags: tagsSuite,
};
