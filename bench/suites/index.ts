/** The suite registry: a new suite is one file in this folder and one line here. */
import type { Suite } from "../lib/suite";
import { seedSuite } from "./seed";
import { tagsSuite } from "./tags";

export const suites: Record<string, Suite> = {
  seed: seedSuite,
  tags: tagsSuite,
};
