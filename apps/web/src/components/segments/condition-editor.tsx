"use client";

import { Input, Select, cn } from "@mkt/ui";
import { operatorsFor, type BehaviorCondition, type HoldingCondition, type SegmentMembership, type TagCondition } from "@mkt/core/segments/rule";
import { useLocale, useTranslations } from "next-intl";
import { useId, useState, type ReactNode } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useEnumLabel } from "@/lib/use-enum-label";
import type { SegmentLeaf, TagValueType } from "./rule-model";

export type BuilderOptions = RouterOutputs["segment"]["builderOptions"];
export type BuilderTag = BuilderOptions["tags"][number];
export interface TagCategory {
  code: string;
  name: string;
  nameEn: string;
  parentId: number | null;
  id: number;
}
export interface SegmentChoice {
  id: string;
  name: string;
}

export interface ConditionEditorProps {
  leaf: SegmentLeaf;
  onChange: (leaf: SegmentLeaf) => void;
  options: BuilderOptions;
  categories: TagCategory[];
  segments: SegmentChoice[];
}

/** One condition: what it tests (tag, behaviour, holding, membership) and its operator and values. */
export function ConditionEditor(props: ConditionEditorProps) {
  switch (props.leaf.kind) {
    case "tag":
      return <TagConditionEditor {...props} leaf={props.leaf} />;
    case "behavior":
      return <BehaviorEditor leaf={props.leaf} onChange={props.onChange} options={props.options} />;
    case "holding":
      return <HoldingEditor leaf={props.leaf} onChange={props.onChange} options={props.options} />;
    case "segment":
      return <MembershipEditor leaf={props.leaf} onChange={props.onChange} segments={props.segments} />;
  }
}

/** A labelled inline control; the label stays the control's accessible name on every width. */
function Slot({ label, children, className }: { label: string; children: (id: string) => ReactNode; className?: string }) {
  const id = useId();
  return (
    <div className={cn("flex min-w-0 flex-col gap-1", className)}>
      <label className="text-xs text-slate-500" htmlFor={id}>
        {label}
      </label>
      {children(id)}
    </div>
  );
}

const today = () => new Date().toISOString().slice(0, 10);

/** A fresh condition for an operator, with values of the right type to start from. */
function withOp(code: string, type: TagValueType, op: TagCondition["op"], tag: BuilderTag | undefined): TagCondition {
  const base = { kind: "tag" as const, tag: code };
  const first = type === "BOOLEAN" ? true : type === "NUMBER" ? 0 : type === "DATE" ? today() : type === "ENUM" ? (tag?.enumValues[0]?.value ?? "") : "";
  switch (op) {
    case "eq":
    case "ne":
      return { ...base, op, value: first };
    case "in":
    case "notIn":
      return { ...base, op, values: [] as string[] };
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return { ...base, op, value: type === "DATE" ? today() : 0 };
    case "between":
      return type === "DATE" ? { ...base, op, min: today(), max: today() } : { ...base, op, min: 0, max: 100 };
    case "contains":
      return { ...base, op, value: "" };
    case "withinDays":
      return { ...base, op, days: 30, direction: "past" };
    default:
      return { ...base, op } as TagCondition;
  }
}

const DEFAULT_OP: Record<TagValueType, TagCondition["op"]> = { BOOLEAN: "eq", ENUM: "in", NUMBER: "gte", DATE: "withinDays", TEXT: "contains" };

function TagConditionEditor({ leaf, onChange, options, categories }: ConditionEditorProps & { leaf: TagCondition }) {
  const t = useTranslations("segments.builder");
  const locale = useLocale();
  const name = (x: { name: string; nameEn: string }) => (locale === "en" ? x.nameEn : x.name);
  const tag = options.tags.find((x) => x.code === leaf.tag);
  const themes = categories.filter((c) => c.parentId === null);
  const themeOf = (categoryCode: string): string => {
    let c = categories.find((x) => x.code === categoryCode);
    while (c && c.parentId !== null) c = categories.find((x) => x.id === c!.parentId);
    return c?.code ?? categoryCode;
  };
  const [chosenTheme, setTheme] = useState<string | null>(null);
  const theme = chosenTheme ?? (tag ? themeOf(tag.categoryCode) : (themes[0]?.code ?? ""));
  const inTheme = options.tags.filter((x) => themeOf(x.categoryCode) === theme);
  const type = tag?.valueType;

  return (
    <div className="flex flex-wrap items-end gap-2">
      <Slot label={t("theme")} className="w-28">
        {(id) => (
          <Select id={id} value={theme} onChange={(e) => {
              setTheme(e.target.value);
              onChange({ kind: "tag", tag: "", op: "isNotEmpty" });
            }}
          >
            {themes.map((c) => (
              <option key={c.code} value={c.code}>
                {name(c)}
              </option>
            ))}
          </Select>
        )}
      </Slot>
      <Slot label={t("tag")} className="w-44">
        {(id) => (
          <Select
            id={id}
            value={leaf.tag}
            data-testid="tag-select"
            onChange={(e) => {
              const next = options.tags.find((x) => x.code === e.target.value);
              if (next) onChange(withOp(next.code, next.valueType, DEFAULT_OP[next.valueType], next));
            }}
          >
            <option value="">{t("chooseTag")}</option>
            {inTheme.map((x) => (
              <option key={x.code} value={x.code}>
                {name(x)}
              </option>
            ))}
          </Select>
        )}
      </Slot>
      {tag && type && (
        <>
          <Slot label={t("operator")} className="w-32">
            {(id) => (
              <Select id={id} value={leaf.op} data-testid="op-select" onChange={(e) => onChange(withOp(tag.code, type, e.target.value as TagCondition["op"], tag))}>
                {operatorsFor(type).map((op) => (
                  <option key={op} value={op}>
                    {t(`op.${op}`)}
                  </option>
                ))}
              </Select>
            )}
          </Slot>
          <TagValueInput leaf={leaf} tag={tag} onChange={onChange} />
        </>
      )}
    </div>
  );
}

function TagValueInput({ leaf, tag, onChange }: { leaf: TagCondition; tag: BuilderTag; onChange: (l: SegmentLeaf) => void }) {
  const t = useTranslations("segments.builder");
  const locale = useLocale();
  const label = (v: { label: string; labelEn: string }) => (locale === "en" ? v.labelEn : v.label);
  const type = tag.valueType;
  const unit = tag.unit ? ` (${tag.unit})` : "";
  const scalarInput = (value: unknown, set: (v: string | number | boolean) => void, slotLabel: string) => {
    if (type === "BOOLEAN") {
      return (
        <Slot label={slotLabel} className="w-24">
          {(id) => (
            <Select id={id} value={String(value)} onChange={(e) => set(e.target.value === "true")}>
              <option value="true">{t("yes")}</option>
              <option value="false">{t("no")}</option>
            </Select>
          )}
        </Slot>
      );
    }
    if (type === "ENUM") {
      return (
        <Slot label={slotLabel} className="w-40">
          {(id) => (
            <Select id={id} value={String(value)} onChange={(e) => set(e.target.value)}>
              {tag.enumValues.map((v) => (
                <option key={v.value} value={v.value}>
                  {label(v)}
                </option>
              ))}
            </Select>
          )}
        </Slot>
      );
    }
    return (
      <Slot label={slotLabel + (type === "NUMBER" ? unit : "")} className={type === "TEXT" ? "w-44" : "w-36"}>
        {(id) => (
          <Input
            id={id}
            type={type === "NUMBER" ? "number" : type === "DATE" ? "date" : "text"}
            value={String(value ?? "")}
            className="h-9"
            onChange={(e) => set(type === "NUMBER" ? (e.target.value === "" ? Number.NaN : Number(e.target.value)) : e.target.value)}
          />
        )}
      </Slot>
    );
  };

  switch (leaf.op) {
    case "eq":
    case "ne":
    case "gt":
    case "gte":
    case "lt":
    case "lte":
    case "contains":
      return scalarInput(leaf.value, (v) => onChange({ ...leaf, value: v } as SegmentLeaf), t("value"));
    case "between":
      return (
        <>
          {scalarInput(leaf.min, (v) => onChange({ ...leaf, min: v as number } as SegmentLeaf), t("min"))}
          {scalarInput(leaf.max, (v) => onChange({ ...leaf, max: v as number } as SegmentLeaf), t("max"))}
        </>
      );
    case "withinDays":
      return (
        <>
          <Slot label={t("direction")} className="w-28">
            {(id) => (
              <Select id={id} value={leaf.direction} onChange={(e) => onChange({ ...leaf, direction: e.target.value as "past" | "next" })}>
                <option value="past">{t("past")}</option>
                <option value="next">{t("next")}</option>
              </Select>
            )}
          </Slot>
          <Slot label={t("days")} className="w-24">
            {(id) => <Input id={id} type="number" min={0} className="h-9" value={leaf.days} onChange={(e) => onChange({ ...leaf, days: Number(e.target.value) })} />}
          </Slot>
        </>
      );
    case "in":
    case "notIn":
      if (type === "ENUM") {
        const values = leaf.values as string[];
        return (
          <fieldset className="flex min-w-0 flex-col gap-1">
            <legend className="mb-1 text-xs text-slate-500">{t("values")}</legend>
            <div className="flex flex-wrap gap-1.5">
              {tag.enumValues.map((v) => {
                const on = values.includes(v.value);
                return (
                  <button
                    key={v.value}
                    type="button"
                    aria-pressed={on}
                    onClick={() => onChange({ ...leaf, values: on ? values.filter((x) => x !== v.value) : [...values, v.value] })}
                    className={cn(
                      "rounded-full border px-2.5 py-1 text-xs",
                      on ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-300 bg-white text-slate-600 hover:border-slate-400",
                    )}
                  >
                    {label(v)}
                  </button>
                );
              })}
            </div>
          </fieldset>
        );
      }
      return (
        <Slot label={t("valuesList")} className="w-56">
          {(id) => (
            <Input
              id={id}
              className="h-9"
              defaultValue={(leaf.values as (string | number)[]).join(", ")}
              onBlur={(e) => {
                const parts = e.target.value.split(/[,，\s]+/).filter(Boolean);
                onChange({ ...leaf, values: type === "NUMBER" ? parts.map(Number) : parts } as SegmentLeaf);
              }}
            />
          )}
        </Slot>
      );
    default:
      return null;
  }
}

function BehaviorEditor({ leaf, onChange, options }: { leaf: BehaviorCondition; onChange: (l: SegmentLeaf) => void; options: BuilderOptions }) {
  const t = useTranslations("segments.builder");
  const txnLabel = useEnumLabel("txnType");
  const appLabel = useEnumLabel("appEvent");
  const events = leaf.source === "txn" ? options.txnTypes : options.appEventTypes;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Slot label={t("source")} className="w-28">
        {(id) => (
          <Select
            id={id}
            value={leaf.source}
            onChange={(e) => {
              const source = e.target.value as "txn" | "app";
              onChange({ ...leaf, source, eventType: (source === "txn" ? options.txnTypes : options.appEventTypes)[0] ?? "" });
            }}
          >
            <option value="txn">{t("sourceTxn")}</option>
            <option value="app">{t("sourceApp")}</option>
          </Select>
        )}
      </Slot>
      <Slot label={t("eventType")} className="w-36">
        {(id) => (
          <Select id={id} value={leaf.eventType} onChange={(e) => onChange({ ...leaf, eventType: e.target.value })}>
            {events.map((ev) => (
              <option key={ev} value={ev}>
                {leaf.source === "txn" ? txnLabel(ev) : appLabel(ev)}
              </option>
            ))}
          </Select>
        )}
      </Slot>
      <Slot label={t("did")} className="w-28">
        {(id) => (
          <Select id={id} value={String(leaf.did)} onChange={(e) => onChange({ ...leaf, did: e.target.value === "true" })}>
            <option value="true">{t("didYes")}</option>
            <option value="false">{t("didNo")}</option>
          </Select>
        )}
      </Slot>
      <Slot label={t("atLeast")} className="w-24">
        {(id) => <Input id={id} type="number" min={1} className="h-9" value={leaf.atLeast} onChange={(e) => onChange({ ...leaf, atLeast: Number(e.target.value) })} />}
      </Slot>
      <Slot label={t("lastDays")} className="w-24">
        {(id) => <Input id={id} type="number" min={1} max={365} className="h-9" value={leaf.lastDays} onChange={(e) => onChange({ ...leaf, lastDays: Number(e.target.value) })} />}
      </Slot>
    </div>
  );
}

function HoldingEditor({ leaf, onChange, options }: { leaf: HoldingCondition; onChange: (l: SegmentLeaf) => void; options: BuilderOptions }) {
  const t = useTranslations("segments.builder");
  const categoryLabel = useEnumLabel("productCategory");
  const locale = useLocale();
  const byProduct = leaf.productCode !== undefined;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Slot label={t("held")} className="w-28">
        {(id) => (
          <Select id={id} value={String(leaf.held)} onChange={(e) => onChange({ ...leaf, held: e.target.value === "true" })}>
            <option value="true">{t("heldYes")}</option>
            <option value="false">{t("heldNo")}</option>
          </Select>
        )}
      </Slot>
      <Slot label={t("holdingBy")} className="w-32">
        {(id) => (
          <Select
            id={id}
            value={byProduct ? "product" : "category"}
            onChange={(e) =>
              onChange(
                e.target.value === "product"
                  ? { kind: "holding", held: leaf.held, productCode: options.products[0]?.code ?? "", ...(leaf.minAmount !== undefined && { minAmount: leaf.minAmount }) }
                  : { kind: "holding", held: leaf.held, category: "WEALTH", ...(leaf.minAmount !== undefined && { minAmount: leaf.minAmount }) },
              )
            }
          >
            <option value="category">{t("byCategory")}</option>
            <option value="product">{t("byProduct")}</option>
          </Select>
        )}
      </Slot>
      {byProduct ? (
        <Slot label={t("product")} className="w-48">
          {(id) => (
            <Select id={id} value={leaf.productCode} onChange={(e) => onChange({ ...leaf, productCode: e.target.value })}>
              {options.products.map((p) => (
                <option key={p.code} value={p.code}>
                  {locale === "en" ? p.nameEn : p.name}
                </option>
              ))}
            </Select>
          )}
        </Slot>
      ) : (
        <Slot label={t("category")} className="w-32">
          {(id) => (
            <Select id={id} value={leaf.category} onChange={(e) => onChange({ ...leaf, category: e.target.value as HoldingCondition["category"] })}>
              {options.categories.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(c)}
                </option>
              ))}
            </Select>
          )}
        </Slot>
      )}
      <Slot label={t("minAmount")} className="w-32">
        {(id) => (
          <Input
            id={id}
            type="number"
            min={0}
            className="h-9"
            value={leaf.minAmount ?? ""}
            placeholder={t("optional")}
            onChange={(e) => {
              const { minAmount: _drop, ...rest } = leaf;
              onChange(e.target.value === "" ? rest : { ...rest, minAmount: Number(e.target.value) });
            }}
          />
        )}
      </Slot>
    </div>
  );
}

function MembershipEditor({ leaf, onChange, segments }: { leaf: SegmentMembership; onChange: (l: SegmentLeaf) => void; segments: SegmentChoice[] }) {
  const t = useTranslations("segments.builder");
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Slot label={t("membership")} className="w-32">
        {(id) => (
          <Select id={id} value={String(leaf.in)} onChange={(e) => onChange({ ...leaf, in: e.target.value === "true" })}>
            <option value="true">{t("inSegment")}</option>
            <option value="false">{t("notInSegment")}</option>
          </Select>
        )}
      </Slot>
      <Slot label={t("segment")} className="w-56">
        {(id) => (
          <Select id={id} value={leaf.segmentId} onChange={(e) => onChange({ ...leaf, segmentId: e.target.value })}>
            <option value="">{t("chooseSegment")}</option>
            {segments.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        )}
      </Slot>
    </div>
  );
}
