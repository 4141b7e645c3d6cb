import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../src/testing";

describe("audit log", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => {
    await t.drop();
  });

  it("accepts inserts but refuses UPDATE, DELETE and TRUNCATE", async () => {
    const row = await t.db.auditLog.create({ data: { action: "SIGN_IN", actorName: "test" } });
    await expect(t.db.$executeRaw`UPDATE audit_log SET action = 'X' WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRaw`DELETE FROM audit_log WHERE id = ${row.id}`).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRawUnsafe("TRUNCATE audit_log")).rejects.toThrow(/append-only/);
    await expect(t.db.auditLog.update({ where: { id: row.id }, data: { action: "X" } })).rejects.toThrow();
    const after = await t.db.auditLog.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.action).toBe("SIGN_IN");
  });
});
