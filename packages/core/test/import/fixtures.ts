/** A small bank for import tests: an org tree (with BR01/BR010 to catch prefix confusion) and products. */
import type { Db } from "@mkt/db";
import { residentIdCheckChar } from "../../src/identity/normalize";
import type { BatchPrincipal } from "../../src/import/batch";

export interface ImportFixture {
  org: Record<"HO" | "BR01" | "BR01S01" | "BR010" | "BR02", { id: string; path: string }>;
  headOffice: BatchPrincipal;
  br01: BatchPrincipal;
}

export async function seedImportFixture(db: Db): Promise<ImportFixture> {
  const unit = async (code: string, level: "HEAD_OFFICE" | "BRANCH" | "SUB_BRANCH", parent?: { id: string; path: string }) => {
    const path = `${parent?.path ?? "/"}${code}/`;
    const u = await db.orgUnit.create({ data: { code, name: code, nameEn: code, level, path, parentId: parent?.id ?? null } });
    return { id: u.id, path };
  };
  const HO = await unit("HO", "HEAD_OFFICE");
  const BR01 = await unit("BR01", "BRANCH", HO);
  const BR01S01 = await unit("BR01S01", "SUB_BRANCH", BR01);
  const BR010 = await unit("BR010", "BRANCH", HO);
  const BR02 = await unit("BR02", "BRANCH", HO);
  await db.product.createMany({
    data: [
      { code: "TD-1Y", name: "一年定期", nameEn: "1-year time deposit", category: "TIME_DEPOSIT", riskLevel: 1, launchedAt: new Date("2020-01-01") },
      { code: "WM-001", name: "稳健理财", nameEn: "Steady wealth", category: "WEALTH", riskLevel: 2, launchedAt: new Date("2020-01-01") },
    ],
  });
  return {
    org: { HO, BR01, BR01S01, BR010, BR02 },
    headOffice: { orgUnitId: HO.id },
    br01: { orgUnitId: BR01.id },
  };
}

export const csv = (...lines: string[]) => new TextEncoder().encode(`${lines.join("\n")}\n`) as Uint8Array<ArrayBuffer>;

/** A valid resident ID from its first 17 digits. */
export const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
