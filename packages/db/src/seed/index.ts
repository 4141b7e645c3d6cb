/** The synthetic bank: `seedBank` for whole databases, factories for tests. */
export { seedBank, SeedRefusedError, DEFAULT_SEED, advanceSequences, hashStaffPasswords, type SeedOptions, type SeedResult } from "./seed-bank";
export { createOrgTree, createUser, createCustomer, randomCertNo, randomMobile, type OrgTree, type CreateUserInput, type CreateCustomerInput } from "./factories";
export { DEMO_PASSWORD, DEMO_EMAIL_DOMAIN, type StaffUser, type Roster } from "./staff";
export { isValidCertNo, decodeCertNo, certCheckChar } from "./cert";
export { BankGenerator } from "./generator";
export { STREAMED_TABLES, SEEDED_TABLES, type TableSpec } from "./copy/tables";
export { decodeRows, type Value } from "./copy/binary-reader";
export { insertReferenceData, insertRows, referenceTimestamp, type PasswordHashes } from "./load/reference-data";
export { hashPassword } from "./password";
