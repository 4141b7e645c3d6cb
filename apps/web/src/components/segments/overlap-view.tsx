"use client";

import { Button, Card, CardBody, CardHeader, EmptyState, Field, Input, Select, cn } from "@mkt/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { GitMerge, Layers } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { RouterOutputs } from "@/lib/api-types";
import { useTRPC } from "@/lib/trpc";
import { QueryState } from "@/components/query-state";

type Overlap = RouterOutputs["segment"]["overlap"];
const LETTERS = ["A", "B", "C"];
const COLORS = ["bg-brand-500", "bg-emerald-500", "bg-amber-500"];

/** Overlap of 2–3 segments (every region's size) and a new static segment from a set operation. */
export function OverlapView() {
  const t = useTranslations("segments.overlap");
  const trpc = useTRPC();
  const [picked, setPicked] = useState<string[]>(["", "", ""]);
  const segments = useQuery(trpc.segment.list.queryOptions({ pageSize: 100 }));
  const ids = picked.filter(Boolean);
  const distinct = new Set(ids).size === ids.length;
  const overlap = useQuery({ ...trpc.segment.overlap.queryOptions({ segmentIds: ids }), enabled: ids.length >= 2 && distinct });

  return (
    <QueryState query={segments} skeletonRows={4}>
      {(list) => (
        <div className="space-y-5">
          <Card>
            <CardHeader title={t("chooseTitle")} description={t("chooseDescription")} icon={<Layers className="size-4" aria-hidden="true" />} />
            <CardBody className="grid gap-4 md:grid-cols-3">
              {LETTERS.map((letter, i) => (
                <Field key={letter} label={t("segmentN", { letter })}>
                  {({ id }) => (
                    <Select id={id} value={picked[i]} onChange={(e) => setPicked(picked.map((p, j) => (j === i ? e.target.value : p)))} data-testid={`overlap-pick-${letter}`}>
                      <option value="">{i < 2 ? t("choose") : t("optional")}</option>
                      {list.items.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
              ))}
              {!distinct && <p className="text-sm text-amber-700 md:col-span-3">{t("distinct")}</p>}
            </CardBody>
          </Card>
          {ids.length < 2 || !distinct ? (
            <Card>
              <EmptyState icon={<Layers />} title={t("pickTwo")} />
            </Card>
          ) : (
            <QueryState query={overlap} skeletonRows={4} describeError={(e) => (e instanceof TRPCClientError ? e.message : undefined)}>
              {(data) => (
                <>
                  <Regions data={data} />
                  <SetOpForm segmentIds={ids} data={data} />
                </>
              )}
            </QueryState>
          )}
        </div>
      )}
    </QueryState>
  );
}

function regionName(inside: number[], n: number, t: ReturnType<typeof useTranslations>): string {
  const ins = inside.map((i) => LETTERS[i]).join(" ∩ ");
  const outside = [...Array(n).keys()].filter((i) => !inside.includes(i));
  return outside.length ? t("regionOnly", { inside: ins, outside: outside.map((i) => LETTERS[i]).join("、") }) : ins;
}

function Regions({ data }: { data: Overlap }) {
  const t = useTranslations("segments.overlap");
  const format = useFormatter();
  const n = data.segments.length;
  const max = Math.max(1, ...data.regions.map((r) => r.count));
  return (
    <Card>
      <CardHeader title={t("regionsTitle")} description={t("regionsDescription", { union: format.number(data.union), intersection: format.number(data.intersection) })} />
      <CardBody className="space-y-4">
        <ul className="flex flex-wrap gap-3 text-sm">
          {data.segments.map((s, i) => (
            <li key={s.id} className="flex items-center gap-2">
              <span className={cn("inline-flex size-6 items-center justify-center rounded-full text-xs font-semibold text-white", COLORS[i])}>{LETTERS[i]}</span>
              <span className="text-slate-800">{s.name}</span>
              <span className="text-slate-500 tabular-nums">{format.number(s.count)}</span>
            </li>
          ))}
        </ul>
        <table className="w-full text-sm" data-testid="overlap-regions">
          <caption className="sr-only">{t("regionsTitle")}</caption>
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1.5 text-left font-normal">{t("region")}</th>
              <th className="w-1/2 py-1.5 text-left font-normal">
                <span className="sr-only">{t("bar")}</span>
              </th>
              <th className="py-1.5 text-right font-normal">{t("customers")}</th>
            </tr>
          </thead>
          <tbody>
            {data.regions.map((r) => (
              <tr key={r.inside.join("")} className="border-t border-slate-100">
                <td className="py-1.5 pr-3 align-middle">
                  <span className="mr-2 inline-flex gap-0.5 align-middle">
                    {r.inside.map((i) => (
                      <span key={i} className={cn("inline-block size-2.5 rounded-full", COLORS[i])} aria-hidden="true" />
                    ))}
                  </span>
                  {regionName(r.inside, n, t)}
                </td>
                <td className="py-1.5 align-middle">
                  <div className="h-2 rounded-full bg-slate-100">
                    <div className="h-2 rounded-full bg-brand-400" style={{ width: `${(r.count / max) * 100}%` }} />
                  </div>
                </td>
                <td className="py-1.5 text-right tabular-nums">{format.number(r.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </CardBody>
    </Card>
  );
}

const OPS = ["union", "intersection", "difference"] as const;

function SetOpForm({ segmentIds, data }: { segmentIds: string[]; data: Overlap }) {
  const t = useTranslations("segments.overlap");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const format = useFormatter();
  const [op, setOp] = useState<(typeof OPS)[number]>("intersection");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(
    trpc.segment.setOp.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.segment.pathKey() });
        router.push(`/segments/${id}`);
      },
      onError: (err) => setError(err instanceof TRPCClientError ? err.message : t("failed")),
    }),
  );
  const n = data.segments.length;
  const size = op === "union" ? data.union : op === "intersection" ? data.intersection : data.regions.find((r) => r.inside.length === 1 && r.inside[0] === 0)?.count ?? 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) return setError(t("nameRequired"));
    create.mutate({ op, segmentIds, name: name.trim() });
  };
  return (
    <Card>
      <CardHeader title={t("setOpTitle")} description={t("setOpDescription")} icon={<GitMerge className="size-4" aria-hidden="true" />} />
      <CardBody>
        <form onSubmit={submit} noValidate className="grid gap-4 md:grid-cols-[12rem_minmax(0,1fr)_auto] md:items-end">
          <Field label={t("operation")}>
            {({ id }) => (
              <Select id={id} value={op} onChange={(e) => setOp(e.target.value as typeof op)}>
                {OPS.map((o) => (
                  <option key={o} value={o}>
                    {t(`op.${o}`, { rest: LETTERS.slice(1, n).join("、") })}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("newName")} hint={t("resultSize", { count: format.number(size) })} error={error}>
            {({ id, describedBy, invalid }) => <Input id={id} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} />}
          </Field>
          <Button type="submit" loading={create.isPending} disabled={size === 0} className="md:mb-6">
            {t("create")}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
