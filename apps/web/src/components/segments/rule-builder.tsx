"use client";

import { SEGMENT_RULE_LIMITS } from "@mkt/core/segments/rule";
import { Button, Select, cn } from "@mkt/ui";
import { Boxes, ChartNoAxesColumn, FolderTree, ShoppingBag, Tag, Trash2, UsersRound } from "lucide-react";
import { useTranslations } from "next-intl";
import { useId } from "react";
import { ConditionEditor, type BuilderOptions, type SegmentChoice, type TagCategory } from "./condition-editor";
import { newGroup, newLeaf, nodeAt, updateAt, type LeafKind, type Path, type SegmentGroup, type SegmentRule } from "./rule-model";

export interface RuleBuilderProps {
  rule: SegmentRule;
  onChange: (rule: SegmentRule) => void;
  options: BuilderOptions;
  categories: TagCategory[];
  segments: SegmentChoice[];
}

/** The visual builder: nested AND / OR groups, each negatable (NOT), holding conditions. */
export function RuleBuilder(props: RuleBuilderProps) {
  const root: SegmentGroup = props.rule.kind === "group" ? props.rule : { kind: "group", op: "and", children: [props.rule] };
  return <GroupEditor {...props} rule={root} path={[]} />;
}

const LEAF_KINDS: { kind: LeafKind; icon: typeof Tag }[] = [
  { kind: "tag", icon: Tag },
  { kind: "behavior", icon: ChartNoAxesColumn },
  { kind: "holding", icon: ShoppingBag },
  { kind: "segment", icon: UsersRound },
];

function GroupEditor({ rule, onChange, options, categories, segments, path }: RuleBuilderProps & { rule: SegmentGroup; path: Path }) {
  const t = useTranslations("segments.builder");
  const opId = useId();
  const group = nodeAt(rule, path) as SegmentGroup;
  const set = (p: Path, f: (n: SegmentRule) => SegmentRule | null) => onChange(updateAt(rule, p, f));
  const setGroup = (patch: Partial<SegmentGroup>) => set(path, (n) => ({ ...(n as SegmentGroup), ...patch }));
  const add = (child: SegmentRule) => setGroup({ children: [...group.children, child] });
  // A group's children sit one level below it; a nested group needs room for its own conditions.
  const canNest = path.length + 2 < SEGMENT_RULE_LIMITS.maxDepth;

  return (
    <div
      className={cn("rounded-lg border p-3 sm:p-4", group.not ? "border-red-200 bg-red-50/40" : path.length % 2 ? "border-slate-200 bg-white" : "border-brand-100 bg-brand-50/30")}
      data-testid={path.length === 0 ? "rule-root" : "rule-group"}
    >
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <FolderTree className="size-4 text-slate-400" aria-hidden="true" />
        <label htmlFor={opId} className="sr-only">
          {t("groupOp")}
        </label>
        <div className="w-52">
          <Select id={opId} value={group.op} onChange={(e) => setGroup({ op: e.target.value as "and" | "or" })} className="h-8 text-xs" data-testid="group-op">
            <option value="and">{t("and")}</option>
            <option value="or">{t("or")}</option>
          </Select>
        </div>
        <label className="flex items-center gap-1.5 text-xs text-slate-600">
          <input type="checkbox" checked={!!group.not} onChange={(e) => setGroup({ not: e.target.checked || undefined })} data-testid="group-not" />
          {t("not")}
        </label>
        {path.length > 0 && (
          <Button variant="ghost" size="sm" className="ml-auto" onClick={() => set(path, () => null)} icon={<Trash2 className="size-4" aria-hidden="true" />}>
            {t("removeGroup")}
          </Button>
        )}
      </div>

      {group.children.length === 0 ? (
        <p className="mb-3 text-xs text-slate-500">{path.length === 0 ? t("emptyRoot") : t("emptyGroup")}</p>
      ) : (
        <ol className="mb-3 space-y-2">
          {group.children.map((child, i) => (
            <li key={i} className="relative">
              {i > 0 && <span className="mb-1 block text-[11px] font-medium tracking-wide text-slate-400 uppercase">{group.op === "and" ? t("andJoin") : t("orJoin")}</span>}
              {child.kind === "group" ? (
                <GroupEditor rule={rule} onChange={onChange} options={options} categories={categories} segments={segments} path={[...path, i]} />
              ) : (
                <div className="flex items-start gap-2 rounded-md border border-slate-200 bg-white p-2.5" data-testid="rule-condition">
                  <div className="min-w-0 flex-1">
                    <ConditionEditor leaf={child} onChange={(leaf) => set([...path, i], () => leaf)} options={options} categories={categories} segments={segments} />
                  </div>
                  <Button variant="ghost" size="sm" aria-label={t("removeCondition")} onClick={() => set([...path, i], () => null)} icon={<Trash2 className="size-4" aria-hidden="true" />} />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}

      <div className="flex flex-wrap gap-2">
        {LEAF_KINDS.map(({ kind, icon: Icon }) => (
          <Button key={kind} variant="secondary" size="sm" onClick={() => add(newLeaf(kind))} icon={<Icon className="size-4" aria-hidden="true" />} data-testid={`add-${kind}`}>
            {t(`add.${kind}`)}
          </Button>
        ))}
        {canNest && (
          <Button variant="secondary" size="sm" onClick={() => add(newGroup(group.op === "and" ? "or" : "and"))} icon={<Boxes className="size-4" aria-hidden="true" />} data-testid="add-group">
            {t("add.group")}
          </Button>
        )}
      </div>
    </div>
  );
}
