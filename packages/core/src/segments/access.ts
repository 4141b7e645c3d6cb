/**
 * Who sees a segment, and over which customers it counts. A segment belongs to the org unit it
 * was built in; staff of that unit's ancestors see it too. An RM's scope is their own customers,
 * so an RM sees (and counts) only the segments they own. A segment counts the customers of its
 * owner's scope: the org subtree of its unit, or an RM's own customers.
 */
import type { Prisma } from "@mkt/db";
import { isWithinPath, type OrgScope } from "../auth/scope";

export interface ScopedSegment {
  ownerId: string;
  orgPath: string;
}

export function canSeeSegment(scope: OrgScope, segment: ScopedSegment): boolean {
  if (!isWithinPath(segment.orgPath, scope.orgPath)) return false;
  return scope.kind === "subtree" || segment.ownerId === scope.rmId;
}

/** Prisma `where` for the segments visible in a scope (same rule as `canSeeSegment`). */
export function segmentScopeWhere(scope: OrgScope): Prisma.SegmentWhereInput {
  const subtree: Prisma.SegmentWhereInput = { orgUnit: { path: { startsWith: scope.orgPath } } };
  return scope.kind === "rm" ? { ...subtree, ownerId: scope.rmId } : subtree;
}

/** The customers a segment counts over: its owner's scope as it was built. */
export function segmentEvaluationScope(segment: { ownerId: string; ownerRole: string; orgPath: string }): OrgScope {
  return segment.ownerRole === "RM"
    ? { kind: "rm", orgPath: segment.orgPath, rmId: segment.ownerId }
    : { kind: "subtree", orgPath: segment.orgPath };
}
