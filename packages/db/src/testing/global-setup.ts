/**
 * Vitest global setup for integration tests: migrates one template database per run; each test
 * file clones it with `createTestDb()` (CREATE DATABASE … TEMPLATE, a few hundred ms).
 * Everything this run created is dropped at the end.
 */
import type { TestProject } from "vitest/node";
import "./provided-context";
import { migrate } from "../migrate";
import { dropDatabasesWithPrefix, serverUrl } from "./databases";

export default async function setup(project: TestProject) {
  const run = `mkt_t${Date.now().toString(36)}${process.pid.toString(36)}`;
  const template = `${run}_tpl`;
  await migrate(serverUrl(template), { quiet: true });
  project.provide("mktTemplateDb", template);
  project.provide("mktRunPrefix", run);
  return async () => {
    await dropDatabasesWithPrefix(run);
  };
}
