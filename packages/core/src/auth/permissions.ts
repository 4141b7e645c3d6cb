/**
 * Roles and the permissions they carry. Every tRPC procedure and API route names one permission
 * (see packages/api/src/trpc.ts); this table is the only place that decides who holds it.
 */
export const ROLES = [
  "ADMIN",
  "MARKETING_MANAGER",
  "ANALYST",
  "APPROVER",
  "BRANCH_MANAGER",
  "RM",
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "customer:read", // search customers and open the 360° view (masked)
  "customer:unmask", // reveal masked personal data, with a reason (audited)
  "import:read", // see import batches, the data dictionary, data quality
  "import:write", // upload source data
  "identity:manage", // reverse identity merges
  "org:read", // see the org tree
  "org:manage", // edit the org tree
  "user:read",
  "user:manage", // create users, change roles (audited)
  "apikey:manage",
  "audit:read",
  "settings:manage",
  "tag:read", // the tag catalogue, statistics, runs, a customer's tag values
  "tag:write", // define tags and new versions, submit them for approval, preview
  "tag:approve", // publish or reject a submitted tag version (maker-checker: not one's own)
  "tag:run", // start a batch run of the tags
  "event:write", // API keys: post real-time events (/api/v1/events)
  "call:read", // API keys: the call centre fetches its task list (/api/v1/call-tasks, JSON or CSV)
  "call:write", // API keys: the call centre posts call results (/api/v1/call-results)
  "campaign:read", // campaigns of the caller's org subtree, their funnels
  "campaign:write", // draft campaigns (flow, templates, audience) and submit them for approval
  "campaign:approve", // approve or reject a submitted campaign (maker-checker: not one's own)
  "campaign:launch", // launch an approved campaign; pause, resume, cancel (audited)
  "lead:read", // leads handed to RMs (an RM: own leads; a manager: the subtree's)
  "segment:read", // segments of the caller's org subtree (an RM: own): counts, preview (masked), profile, overlap
  "segment:write", // build, save, archive, snapshot and import segments over the caller's scope
  "export:read", // own segment exports (approvers: the requests of their subtree)
  "export:write", // export a visible segment to CSV/XLSX, masked
  "export:unmasked", // export personal data in the clear, with a reason (approval above the threshold; audited)
  "export:approve", // approve or reject another user's unmasked export above the threshold
  "self", // any signed-in user: own profile, locale, sign-out
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: ALL,
  MARKETING_MANAGER: ["self", "customer:read", "import:read", "org:read", "tag:read", "campaign:read", "campaign:write", "campaign:launch", "lead:read", "segment:read", "segment:write", "export:read", "export:write"],
  ANALYST: ["self", "customer:read", "import:read", "import:write", "org:read", "tag:read", "tag:write", "tag:run", "campaign:read", "segment:read", "segment:write", "export:read", "export:write"],
  APPROVER: ["self", "customer:read", "audit:read", "org:read", "import:read", "tag:read", "tag:approve", "campaign:read", "campaign:approve", "segment:read", "export:read", "export:approve"],
  BRANCH_MANAGER: ["self", "customer:read", "customer:unmask", "org:read", "user:read", "tag:read", "campaign:read", "lead:read", "segment:read", "segment:write", "export:read", "export:write", "export:unmasked"],
  RM: ["self", "customer:read", "customer:unmask", "tag:read", "lead:read", "segment:read", "segment:write"],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
