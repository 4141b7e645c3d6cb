/**
 * Saving from the builder: a new rule segment, or changes to an existing one. A new or changed
 * rule is evaluated at once and kept as a SAVE snapshot, so the list shows its count right away.
 */
import type { Db } from "@mkt/db";
import type { OrgScope } from "../auth/scope";
import { takeSnapshot } from "./snapshot";
import { createRuleSegment, updateSegment, type CreateRuleSegmentInput, type SegmentActor, type SegmentRecord, type UpdateSegmentInput } from "./segments";

export interface SaveResult {
  id: string;
  count: number | null;
}

export async function saveNewRuleSegment(db: Db, actor: SegmentActor, scope: OrgScope, input: CreateRuleSegmentInput): Promise<SaveResult> {
  const id = await createRuleSegment(db, actor, scope, input);
  const snap = await takeSnapshot(db, id, { trigger: "SAVE", takenById: actor.id });
  return { id, count: snap.count };
}

export async function saveSegmentChanges(db: Db, actor: SegmentActor, scope: OrgScope, segment: SegmentRecord, input: UpdateSegmentInput): Promise<SaveResult> {
  const { ruleChanged } = await updateSegment(db, scope, segment, input);
  if (!ruleChanged) return { id: segment.id, count: segment.latestCount };
  const snap = await takeSnapshot(db, segment.id, { trigger: "SAVE", takenById: actor.id });
  return { id: segment.id, count: snap.count };
}
