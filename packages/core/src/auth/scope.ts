/**
 * Org scoping. Org units carry a materialised path "/HO/BR01/BR01S01/"; a unit's subtree is every
 * path that starts with its own path. The trailing slash is what keeps BR01 and BR010 apart.
 *
 * A caller's scope is either a subtree (head office, branch, sub-branch staff) or, for an RM,
 * "own customers only" inside their unit.
 */
export type OrgScope =
  | { kind: "subtree"; orgPath: string }
  | { kind: "rm"; orgPath: string; rmId: string };

export function scopeFor(user: { id: string; role: string; orgPath: string }): OrgScope {
  if (user.role === "RM") return { kind: "rm", orgPath: user.orgPath, rmId: user.id };
  return { kind: "subtree", orgPath: user.orgPath };
}

export function isWithinPath(path: string, ancestorPath: string): boolean {
  if (!ancestorPath.endsWith("/") || !path.endsWith("/")) {
    throw new Error("org paths end with '/'");
  }
  return path.startsWith(ancestorPath);
}

/** Whether a customer (its org path and assigned RM) is visible in a scope. */
export function canSeeCustomer(scope: OrgScope, customer: { orgPath: string; rmId: string | null }): boolean {
  if (!isWithinPath(customer.orgPath, scope.orgPath)) return false;
  return scope.kind === "subtree" || customer.rmId === scope.rmId;
}

/** Whether an org unit is inside the caller's subtree (RMs see only their own unit). */
export function canSeeOrgUnit(scope: OrgScope, orgPath: string): boolean {
  return isWithinPath(orgPath, scope.orgPath);
}

/** Whether a staff user is visible: anyone in the caller's subtree; an RM sees only themself. */
export function canSeeUser(scope: OrgScope, user: { id: string; orgPath: string }): boolean {
  if (scope.kind === "rm") return user.id === scope.rmId;
  return isWithinPath(user.orgPath, scope.orgPath);
}
