import { describe, expect, it } from "vitest";
import { parseWorkerEnv } from "../src/env";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/mkt" };

describe("worker environment", () => {
  it("takes per-queue concurrency overrides as JSON, none by default", () => {
    expect(parseWorkerEnv(base).QUEUE_CONCURRENCY).toEqual({});
    expect(parseWorkerEnv({ ...base, QUEUE_CONCURRENCY: '{"campaign-sends":2,"tags":1}' }).QUEUE_CONCURRENCY).toEqual({ "campaign-sends": 2, tags: 1 });
  });

  it("refuses a bad override with a message naming the variable", () => {
    for (const bad of ["campaign-sends=2", '{"campaign-sends":0}', '{"campaign-sends":1.5}', '{"campaign-sends":"2"}']) {
      expect(() => parseWorkerEnv({ ...base, QUEUE_CONCURRENCY: bad })).toThrow(/QUEUE_CONCURRENCY must be JSON/);
    }
  });
});
