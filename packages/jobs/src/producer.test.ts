import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobsClient, type JobsClient } from "./client";
import { enqueuePurgeExpiredSessions, purgeExpiredSessionsJob } from "./maintenance";

/** A port nothing listens on: bind an ephemeral one, then release it. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

describe("producers", () => {
  let client: JobsClient;
  beforeAll(async () => {
    client = createJobsClient({ url: `redis://127.0.0.1:${await closedPort()}`, prefix: "t:unit" });
  });
  afterAll(async () => {
    await client.close();
  });

  it("reject an invalid payload before touching Redis, naming the field", async () => {
    await expect(enqueuePurgeExpiredSessions({ graceSeconds: 1.5 }, { client })).rejects.toThrow(/graceSeconds/);
    // @ts-expect-error unknown fields are refused by the strict schema
    await expect(enqueuePurgeExpiredSessions({ customerName: "x" }, { client })).rejects.toThrow(/customerName/);
  });

  it("fail within the readiness timeout when Redis is unreachable", async () => {
    const started = Date.now();
    await expect(enqueuePurgeExpiredSessions({}, { client })).rejects.toThrow(/Redis unavailable/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("carry the contract's default options", () => {
    expect(purgeExpiredSessionsJob.options).toMatchObject({ attempts: 2, backoff: { type: "exponential" }, removeOnFail: { age: 7 * 24 * 3600 } });
  });
});
