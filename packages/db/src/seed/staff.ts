/**
 * The staff roster: one demo user per role (known usernames, password `Demo@2026`) and relationship
 * managers for every sub-branch, about one per 800 customers (at least two per sub-branch, at most
 * 3,000 in all). Ids are stable ("usr_" + username) so a seed is reproducible.
 */
import { orgUnits, type SubBranchRef } from "./reference/org";
import { GIVEN_FEMALE, GIVEN_MALE, SURNAMES } from "./reference/people";
import { Rng } from "./rng";

export type Role = "ADMIN" | "MARKETING_MANAGER" | "ANALYST" | "APPROVER" | "BRANCH_MANAGER" | "RM";

export interface StaffUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  orgUnitId: string;
  employeeNo: string;
  /** Listed in the demo output and hashed individually. */
  demo: boolean;
}

export const DEMO_PASSWORD = "Demo@2026";
export const DEMO_EMAIL_DOMAIN = "demo.bank";

const HEAD_OFFICE_DEMO: readonly (readonly [string, string, Role, string])[] = [
  ["admin", "系统管理员", "ADMIN", "org_HO"],
  ["marketing", "总行营销经理", "MARKETING_MANAGER", "org_HO"],
  ["analyst", "数据分析师", "ANALYST", "org_HO"],
  ["approver", "合规审批员", "APPROVER", "org_HO"],
  ["marketing_br01", "北京分行营销经理", "MARKETING_MANAGER", "org_BR01"],
  ["bm_br01", "北京分行行长", "BRANCH_MANAGER", "org_BR01"],
  ["bm_br02", "上海分行行长", "BRANCH_MANAGER", "org_BR02"],
];

/** RMs listed among the demo accounts (the rest share their password but are not printed). */
const DEMO_RMS = new Set(["rm_br01s01", "rm_br01s01_2", "rm_br01s02", "rm_br02s01"]);

export interface Roster {
  users: StaffUser[];
  /** RM ids per sub-branch, indexed like `orgUnits().subBranches`. */
  rmsBySubBranch: string[][];
}

export function rmCount(customers: number): number {
  return Math.min(3000, Math.ceil(customers / 800));
}

export function buildRoster(seed: number, customers: number): Roster {
  const { subBranches } = orgUnits();
  const rng = new Rng(seed, 0x7fffffff);
  const surnameTotal = SURNAMES.reduce((s, [, w]) => s + w, 0);
  const personName = (): string => {
    let r = rng.float() * surnameTotal;
    let surname = SURNAMES[0]![0];
    for (const [s, w] of SURNAMES) {
      if ((r -= w) < 0) {
        surname = s;
        break;
      }
    }
    const pool = rng.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE;
    return surname + rng.pick(pool) + (rng.chance(0.7) ? rng.pick(pool) : "");
  };
  let employee = 0;
  const user = (username: string, name: string, role: Role, orgUnitId: string, demo: boolean): StaffUser => ({
    id: `usr_${username}`,
    username,
    name,
    role,
    orgUnitId,
    employeeNo: `E${String(++employee).padStart(6, "0")}`,
    demo,
  });
  const users = HEAD_OFFICE_DEMO.map(([u, n, r, o]) => user(u, n, r, o, true));
  const perSub = rmsPerSubBranch(subBranches, rmCount(customers));
  const rmsBySubBranch = subBranches.map((sb, i) =>
    Array.from({ length: perSub[i]! }, (_, k) => {
      const username = `rm_${sb.code.toLowerCase()}${k === 0 ? "" : `_${k + 1}`}`;
      const u = user(username, personName(), "RM", sb.id, DEMO_RMS.has(username));
      users.push(u);
      return u.id;
    }),
  );
  return { users, rmsBySubBranch };
}

/** RMs per sub-branch in proportion to its expected customers, at least two each. */
function rmsPerSubBranch(subs: readonly SubBranchRef[], total: number): number[] {
  const weightOf = (s: SubBranchRef) => s.branch.weight / s.branch.subBranches.length;
  const sum = subs.reduce((a, s) => a + weightOf(s), 0);
  return subs.map((s) => Math.max(2, Math.round((total * weightOf(s)) / sum)));
}
