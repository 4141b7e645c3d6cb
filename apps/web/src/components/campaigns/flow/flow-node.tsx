"use client";

import { cn } from "@mkt/ui";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { AlertTriangle } from "lucide-react";
import { useTranslations } from "next-intl";
import { outputsOf, type DesignerNodeData } from "./graph";
import { paletteItem } from "./palette";

export type DesignerNode = Node<DesignerNodeData, "step">;

/** One step of the flow on the canvas: icon, name, a one-line summary, its outputs and any server errors. */
export function FlowNode({ data, selected }: NodeProps<DesignerNode>) {
  const t = useTranslations("campaigns.flow");
  const item = paletteItem(data.paletteKey);
  const Icon = item.icon;
  const outputs = outputsOf(data);
  const hasErrors = data.errors.length > 0;
  return (
    <div
      data-testid={`flow-node-${data.paletteKey}`}
      className={cn(
        "w-52 rounded-lg border bg-white text-left shadow-sm",
        selected ? "border-brand-500 ring-2 ring-brand-200" : "border-slate-300",
        hasErrors && "border-red-500 ring-2 ring-red-100",
      )}
    >
      {data.kind !== "entry" && <Handle type="target" position={Position.Top} className="!size-3 !border-2 !border-white !bg-slate-500" />}
      <div className="flex items-center gap-2 px-3 py-2">
        <span className={cn("grid size-7 shrink-0 place-items-center rounded-md", item.accent)}>
          <Icon className="size-4" aria-hidden="true" />
        </span>
        <div className="min-w-0">
          <p className="truncate text-sm font-medium text-slate-900">{data.label || t(`palette.${data.paletteKey}`)}</p>
          <p className="truncate text-xs text-slate-500">{t(`palette.${data.paletteKey}`)}</p>
        </div>
      </div>
      {hasErrors && (
        <ul className="space-y-0.5 border-t border-red-100 bg-red-50 px-3 py-1.5 text-xs text-red-700" data-testid="flow-node-errors">
          {data.errors.map((e) => (
            <li key={e} className="flex gap-1">
              <AlertTriangle className="mt-0.5 size-3 shrink-0" aria-hidden="true" />
              <span>{e}</span>
            </li>
          ))}
        </ul>
      )}
      {outputs.length > 0 && (
        <div className="flex justify-around border-t border-slate-100 px-2 pt-1 pb-2 text-[11px] text-slate-500">
          {outputs.map((o) => (
            <span key={o.handle} className="relative">
              {o.label ?? (o.handle === "next" ? "" : t(`outputs.${o.handle}`, { name: o.handle }))}
            </span>
          ))}
        </div>
      )}
      {outputs.map((o, i) => (
        <Handle
          key={o.handle}
          id={o.handle}
          type="source"
          position={Position.Bottom}
          style={{ left: `${((i + 1) / (outputs.length + 1)) * 100}%` }}
          className="!size-3 !border-2 !border-white !bg-brand-600"
        />
      ))}
    </div>
  );
}
