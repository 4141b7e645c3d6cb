/**
 * Test factories: small, valid rows with random keys, so integration tests can run side by side in
 * one database without colliding. They go through Prisma like application code does.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { Db } from "../client";
import type { Customer, OrgUnit, User } from "../generated/prisma/client";
import type { CustomerStatus, Role } from "../generated/prisma/enums";
import { certCheckChar } from "./cert";
import { hashPassword } from "./password";

const key = (bytes = 4) => randomBytes(bytes).toString("hex").toUpperCase();

export interface OrgTree {
  headOffice: OrgUnit;
  /** Branch "<root>B1" with sub-branches S01 and S02. */
  branch: OrgUnit;
  subBranch: OrgUnit;
  subBranch2: OrgUnit;
  /** Branch "<root>B10": its code and path start with the first branch's ("BR01" vs "BR010"). */
  prefixBranch: OrgUnit;
  prefixSubBranch: OrgUnit;
}

/** A private head office → branches → sub-branches tree under a random root code. */
export async function createOrgTree(db: Db): Promise<OrgTree> {
  const root = `T${key()}`;
  const unit = (code: string, level: OrgUnit["level"], parent: OrgUnit | null) =>
    db.orgUnit.create({
      data: { code, name: `测试机构${code}`, nameEn: `Test unit ${code}`, level, parentId: parent?.id ?? null, path: `${parent?.path ?? "/"}${code}/`, region: "北京市" },
    });
  const headOffice = await unit(root, "HEAD_OFFICE", null);
  const branch = await unit(`${root}B1`, "BRANCH", headOffice);
  const prefixBranch = await unit(`${root}B10`, "BRANCH", headOffice);
  const subBranch = await unit(`${root}B1S01`, "SUB_BRANCH", branch);
  const subBranch2 = await unit(`${root}B1S02`, "SUB_BRANCH", branch);
  const prefixSubBranch = await unit(`${root}B10S01`, "SUB_BRANCH", prefixBranch);
  return { headOffice, branch, subBranch, subBranch2, prefixBranch, prefixSubBranch };
}

export interface CreateUserInput {
  role: Role;
  orgUnit: OrgUnit | string;
  /** Creates a credential account (argon2id) so the user can sign in. */
  password?: string;
  username?: string;
  name?: string;
}

/** A staff user (better-auth user row), with a credential account when `password` is given. */
export async function createUser(db: Db, input: CreateUserInput): Promise<User> {
  const username = input.username ?? `u_${key(5).toLowerCase()}`;
  const user = await db.user.create({
    data: {
      name: input.name ?? `测试用户${username}`,
      email: `${username}@test.bank`,
      emailVerified: true,
      username,
      displayUsername: username,
      role: input.role,
      orgUnitId: typeof input.orgUnit === "string" ? input.orgUnit : input.orgUnit.id,
    },
  });
  if (input.password !== undefined) {
    await db.authAccount.create({ data: { accountId: user.id, providerId: "credential", userId: user.id, password: await hashPassword(input.password) } });
  }
  return user;
}

/** A checksum-valid random resident ID number (GB 11643) for the given sex. */
export function randomCertNo(male = true): string {
  const year = 1950 + randomInt(55);
  const month = 1 + randomInt(12);
  const day = 1 + randomInt(28);
  const seq = randomInt(500) * 2 + (male ? 1 : 0);
  const first17 = `110105${year}${String(month).padStart(2, "0")}${String(day).padStart(2, "0")}${String(seq).padStart(3, "0")}`;
  return first17 + certCheckChar(first17);
}

export function randomMobile(): string {
  return `13${randomInt(10)}${String(randomInt(100_000_000)).padStart(8, "0")}`;
}

export interface CreateCustomerInput {
  orgUnit: OrgUnit;
  rm?: User | null;
  name?: string;
  male?: boolean;
  certNo?: string;
  phone?: string;
  email?: string | null;
  status?: CustomerStatus;
  openedAt?: Date;
}

/** A retail customer of `orgUnit` (orgPath follows it) with a valid cert number and mobile, optionally assigned to `rm`. */
export async function createCustomer(db: Db, input: CreateCustomerInput): Promise<Customer> {
  const male = input.male ?? randomInt(2) === 1;
  const certNo = input.certNo ?? randomCertNo(male);
  return db.customer.create({
    data: {
      customerNo: `T${key(6)}`,
      name: input.name ?? (male ? "测试客户男" : "测试客户女"),
      gender: male ? "M" : "F",
      birthDate: new Date(`${certNo.slice(6, 10)}-${certNo.slice(10, 12)}-${certNo.slice(12, 14)}T00:00:00Z`),
      certNo,
      phone: input.phone ?? randomMobile(),
      email: input.email ?? null,
      province: input.orgUnit.region,
      orgUnitId: input.orgUnit.id,
      orgPath: input.orgUnit.path,
      rmId: input.rm?.id ?? null,
      status: input.status ?? "ACTIVE",
      openedAt: input.openedAt ?? new Date("2020-01-01T00:00:00Z"),
    },
  });
}
