"use client";

import { Button, Card, CardBody, CardHeader, Field, Input, Select } from "@mkt/ui";
import { Plus, Trash2, X } from "lucide-react";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { TemplateOption } from "./flow-designer";
import type { DesignerNode } from "./flow-node";
import type { DesignerNodeData } from "./graph";

const OUTCOMES = ["DELIVERED", "CLICKED", "RESPONDED", "CONVERTED"] as const;
const TAG_OPS = ["eq", "neq", "gt", "gte", "lt", "lte"] as const;

interface Props {
  node: DesignerNode | null;
  nodes: DesignerNode[];
  templates: TemplateOption[];
  readOnly: boolean;
  onChange: (data: Partial<DesignerNodeData>) => void;
  onDelete: () => void;
}

/** Configures the selected node: its label and the fields of its type. */
export function NodePanel({ node, nodes, templates, readOnly, onChange, onDelete }: Props) {
  const t = useTranslations("campaigns.flow");
  if (!node) {
    return (
      <Card>
        <CardHeader title={t("panel.title")} />
        <CardBody>
          <p className="text-sm text-slate-500">{t("panel.none")}</p>
        </CardBody>
      </Card>
    );
  }
  const { kind, fields } = node.data;
  const set = (patch: Record<string, unknown>) => onChange({ fields: { ...fields, ...patch } });

  return (
    <Card data-testid="node-panel">
      <CardHeader
        title={t(`palette.${node.data.paletteKey}`)}
        description={t("panel.nodeId", { id: node.id })}
        actions={
          !readOnly && (
            <Button variant="ghost" size="sm" icon={<Trash2 className="size-4" />} onClick={onDelete}>
              {t("panel.delete")}
            </Button>
          )
        }
      />
      <CardBody>
        <fieldset disabled={readOnly} className="space-y-3">
          <Field label={t("panel.label")}>
            {({ id }) => <Input id={id} value={node.data.label} maxLength={80} onChange={(e) => onChange({ label: e.target.value })} />}
          </Field>
          {kind === "send" && <SendFields fields={fields} templates={templates} set={set} />}
          {kind === "wait" && <WaitFields fields={fields} set={set} />}
          {kind === "branch" && <BranchFields fields={fields} nodes={nodes} set={set} />}
          {kind === "split" && <SplitFields fields={fields} set={set} />}
          {kind === "lead" && <LeadFields fields={fields} set={set} />}
          {(kind === "entry" || kind === "exit") && <p className="text-sm text-slate-500">{t(`panel.${kind}Help`)}</p>}
          {node.data.errors.length > 0 && (
            <ul className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-700">
              {node.data.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
        </fieldset>
      </CardBody>
    </Card>
  );
}

type FieldsProps = { fields: Record<string, unknown>; set: (patch: Record<string, unknown>) => void };

function SendFields({ fields, templates, set }: FieldsProps & { templates: TemplateOption[] }) {
  const t = useTranslations("campaigns.flow.panel");
  const options = templates.filter((x) => x.channel === fields.channel);
  return (
    <Field label={t("template")} hint={options.length ? undefined : t("noTemplate")}>
      {({ id, describedBy }) => (
        <Select id={id} aria-describedby={describedBy} value={String(fields.templateId ?? "")} onChange={(e) => set({ templateId: e.target.value })} data-testid="panel-template">
          <option value="">{t("choose")}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}

function WaitFields({ fields, set }: FieldsProps) {
  const t = useTranslations("campaigns.flow.panel");
  const wait = (fields.wait ?? { kind: "duration", amount: 1, unit: "days" }) as { kind: "duration"; amount: number; unit: string } | { kind: "until"; at: string };
  return (
    <>
      <Field label={t("waitKind")}>
        {({ id }) => (
          <Select
            id={id}
            value={wait.kind}
            onChange={(e) => set({ wait: e.target.value === "until" ? { kind: "until", at: new Date(Date.now() + 86_400_000).toISOString() } : { kind: "duration", amount: 1, unit: "days" } })}
          >
            <option value="duration">{t("waitDuration")}</option>
            <option value="until">{t("waitUntil")}</option>
          </Select>
        )}
      </Field>
      {wait.kind === "duration" ? (
        <div className="grid grid-cols-2 gap-2">
          <Field label={t("amount")}>
            {({ id }) => <Input id={id} type="number" min={1} max={10000} value={wait.amount} onChange={(e) => set({ wait: { ...wait, amount: Number(e.target.value) } })} data-testid="panel-wait-amount" />}
          </Field>
          <Field label={t("unit")}>
            {({ id }) => (
              <Select id={id} value={wait.unit} onChange={(e) => set({ wait: { ...wait, unit: e.target.value } })}>
                {(["minutes", "hours", "days"] as const).map((u) => (
                  <option key={u} value={u}>
                    {t(`units.${u}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
      ) : (
        <Field label={t("until")}>
          {({ id }) => (
            <Input
              id={id}
              type="datetime-local"
              value={toLocalInput(wait.at)}
              onChange={(e) => e.target.value && set({ wait: { kind: "until", at: new Date(e.target.value).toISOString() } })}
            />
          )}
        </Field>
      )}
    </>
  );
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

type Condition = { kind: "outcome"; stepId: string; outcome: string } | { kind: "tag"; tag: string; op: string; value: string | number | boolean };

function BranchFields({ fields, nodes, set }: FieldsProps & { nodes: DesignerNode[] }) {
  const t = useTranslations("campaigns.flow.panel");
  const tp = useTranslations("campaigns.flow.palette");
  const c = (fields.condition ?? { kind: "outcome", stepId: "", outcome: "RESPONDED" }) as Condition;
  const sends = nodes.filter((n) => n.data.kind === "send");
  return (
    <>
      <Field label={t("branchOn")}>
        {({ id }) => (
          <Select
            id={id}
            value={c.kind}
            onChange={(e) => set({ condition: e.target.value === "tag" ? { kind: "tag", tag: "", op: "eq", value: "" } : { kind: "outcome", stepId: sends[0]?.id ?? "", outcome: "RESPONDED" } })}
          >
            <option value="outcome">{t("branchOutcome")}</option>
            <option value="tag">{t("branchTag")}</option>
          </Select>
        )}
      </Field>
      {c.kind === "outcome" ? (
        <>
          <Field label={t("step")}>
            {({ id }) => (
              <Select id={id} value={c.stepId} onChange={(e) => set({ condition: { ...c, stepId: e.target.value } })} data-testid="panel-branch-step">
                <option value="">{t("choose")}</option>
                {sends.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.data.label || `${tp(n.data.paletteKey)} (${n.id})`}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("outcome")} hint={t("outcomeHint")}>
            {({ id, describedBy }) => (
              <Select id={id} aria-describedby={describedBy} value={c.outcome} onChange={(e) => set({ condition: { ...c, outcome: e.target.value } })} data-testid="panel-branch-outcome">
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(`outcomes.${o}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </>
      ) : (
        <>
          <Field label={t("tag")}>{({ id }) => <Input id={id} value={c.tag} maxLength={80} onChange={(e) => set({ condition: { ...c, tag: e.target.value } })} />}</Field>
          <div className="grid grid-cols-2 gap-2">
            <Field label={t("op")}>
              {({ id }) => (
                <Select id={id} value={c.op} onChange={(e) => set({ condition: { ...c, op: e.target.value } })}>
                  {TAG_OPS.map((o) => (
                    <option key={o} value={o}>
                      {t(`ops.${o}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t("value")}>
              {({ id }) => (
                <Input
                  id={id}
                  value={String(c.value)}
                  onChange={(e) => {
                    const raw = e.target.value;
                    const value = raw === "true" ? true : raw === "false" ? false : raw.trim() !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
                    set({ condition: { ...c, value } });
                  }}
                />
              )}
            </Field>
          </div>
        </>
      )}
      <p className="text-xs text-slate-500">{t("branchOutputs")}</p>
    </>
  );
}

function SplitFields({ fields, set }: FieldsProps) {
  const t = useTranslations("campaigns.flow.panel");
  const outputs = (fields.outputs ?? []) as { key: string; weight: number }[];
  const update = (next: { key: string; weight: number }[]) => set({ outputs: next });
  const total = outputs.reduce((s, o) => s + o.weight, 0);
  return (
    <div className="space-y-2">
      <p className="text-sm font-medium text-slate-700">{t("splitOutputs")}</p>
      {outputs.map((o, i) => (
        <Row key={i}>
          <Input aria-label={t("splitKey")} value={o.key} maxLength={20} className="w-20" onChange={(e) => update(outputs.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
          <Input
            aria-label={t("splitWeight")}
            type="number"
            min={1}
            max={100}
            value={o.weight}
            className="w-20"
            onChange={(e) => update(outputs.map((x, j) => (j === i ? { ...x, weight: Number(e.target.value) } : x)))}
          />
          <span className="text-xs text-slate-500 tabular-nums">{total ? Math.round((o.weight / total) * 100) : 0}%</span>
          {outputs.length > 2 && (
            <Button variant="ghost" size="sm" aria-label={t("splitRemove")} onClick={() => update(outputs.filter((_, j) => j !== i))}>
              <X className="size-4" />
            </Button>
          )}
        </Row>
      ))}
      {outputs.length < 5 && (
        <Button variant="secondary" size="sm" icon={<Plus className="size-4" />} onClick={() => update([...outputs, { key: String.fromCharCode(65 + outputs.length), weight: 10 }])}>
          {t("splitAdd")}
        </Button>
      )}
    </div>
  );
}

const Row = ({ children }: { children: ReactNode }) => <div className="flex items-center gap-2">{children}</div>;

function LeadFields({ fields, set }: FieldsProps) {
  const t = useTranslations("campaigns.flow.panel");
  return (
    <>
      <Field label={t("priority")}>
        {({ id }) => (
          <Select id={id} value={String(fields.priority ?? "HIGH")} onChange={(e) => set({ priority: e.target.value })}>
            {(["HIGH", "MEDIUM", "LOW"] as const).map((p) => (
              <option key={p} value={p}>
                {t(`priorities.${p}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t("dueInDays")}>
        {({ id }) => <Input id={id} type="number" min={1} max={90} value={Number(fields.dueInDays ?? 3)} onChange={(e) => set({ dueInDays: Number(e.target.value) })} />}
      </Field>
      <p className="text-xs text-slate-500">{t("leadHelp")}</p>
    </>
  );
}
