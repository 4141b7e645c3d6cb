import { describe, expect, it } from "vitest";
import { z } from "zod";
import { errorResponse, HttpError, zodErrorResponse } from "./errors";

describe("REST error bodies", () => {
  it("names every invalid field of a zod error in a 400", async () => {
    const parsed = z.object({ rows: z.array(z.object({ phone: z.string().regex(/^\d+$/) })) }).strict().safeParse({
      rows: [{ phone: "12" }, { phone: "x1" }],
      extra: true,
    });
    const res = zodErrorResponse(parsed.error!);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(body.error).toBe("invalid request");
    expect(body.issues.map((i) => i.path).sort()).toEqual(["", "rows.1.phone"]);
    expect(body.issues.find((i) => i.path === "")!.message).toMatch(/extra/);
  });

  it("keeps an HttpError's status, message and headers", async () => {
    const res = errorResponse(new HttpError(401, "invalid or missing API key", undefined, { "WWW-Authenticate": "Bearer" }));
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
    expect(await res.json()).toEqual({ error: "invalid or missing API key" });
  });

  it("hides the internals of anything else behind a 500", async () => {
    const res = errorResponse(new Error("connection to 10.0.0.5 refused"));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "internal error" });
  });
});
