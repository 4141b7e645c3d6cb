import { ROLE_PERMISSIONS } from "@mkt/core";
import { describe, expect, it } from "vitest";
import { activeChildHref, visibleAreas } from "./nav-items";

const keys = (role: keyof typeof ROLE_PERMISSIONS) => visibleAreas(ROLE_PERMISSIONS[role]).map((a) => a.key);

describe("console navigation by role", () => {
  it("an RM sees customers but neither the data foundation nor administration", () => {
    expect(keys("RM")).toContain("customers");
    expect(keys("RM")).not.toContain("data");
    expect(keys("RM")).not.toContain("admin");
  });

  it("an approver's administration area holds only the org tree and the audit log", () => {
    const admin = visibleAreas(ROLE_PERMISSIONS.APPROVER).find((a) => a.key === "admin");
    expect(admin?.children?.map((c) => c.key)).toEqual(["adminOrg", "adminAudit"]);
    expect(admin?.href).toBe("/admin/org");
  });

  it("an admin sees every area and every sub-page", () => {
    const areas = visibleAreas(ROLE_PERMISSIONS.ADMIN);
    expect(areas).toHaveLength(12);
    expect(areas.find((a) => a.key === "admin")?.children).toHaveLength(4);
  });

  it("segment exports (own exports, approval of unmasked ones) sit under segments for every role holding export:read", () => {
    const segments = (role: keyof typeof ROLE_PERMISSIONS) => visibleAreas(ROLE_PERMISSIONS[role]).find((a) => a.key === "segments");
    for (const role of ["APPROVER", "MARKETING_MANAGER", "ANALYST", "BRANCH_MANAGER", "ADMIN"] as const) {
      expect(segments(role)?.children?.map((c) => c.href)).toEqual(["/segments", "/segments/exports"]);
    }
    expect(segments("RM")?.children?.map((c) => c.key)).toEqual(["segmentsList"]);
    expect(segments("RM")?.href).toBe("/segments");
    expect(activeChildHref("/segments/exports", segments("APPROVER")!.children!)).toBe("/segments/exports");
    expect(activeChildHref("/segments/s1", segments("APPROVER")!.children!)).toBe("/segments");
  });

  it("marks the most specific sub-page: the approval inbox, not the catalogue it sits under", () => {
    const tags = visibleAreas(ROLE_PERMISSIONS.APPROVER).find((a) => a.key === "tags")!.children!;
    expect(activeChildHref("/tags/approvals", tags)).toBe("/tags/approvals");
    expect(activeChildHref("/tags/AUM_BAND", tags)).toBe("/tags");
    expect(activeChildHref("/customers", tags)).toBeUndefined();
  });

  it("keeps every area in the product's order", () => {
    expect(keys("ADMIN")).toEqual([
      "dashboard", "customers", "data", "tags", "segments", "models", "campaigns", "benefits", "leads", "monitoring", "approvals", "admin",
    ]);
  });
});
