"use client";

import "@xyflow/react/dist/style.css";
import { Button, Card, cn } from "@mkt/ui";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  addEdge,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
} from "@xyflow/react";
import { AlertTriangle, CheckCircle2, Save } from "lucide-react";
import { useTranslations } from "next-intl";
import { useCallback, useMemo, useState, type DragEvent } from "react";
import { useTRPC } from "@/lib/trpc";
import { FlowNode, type DesignerNode } from "./flow-node";
import { attachErrors, defaultFields, kindOf, newNodeId, toCanvas, toFlow, type FlowJson } from "./graph";
import { NodePanel } from "./node-panel";
import { DRAG_TYPE, PALETTE } from "./palette";

const nodeTypes = { step: FlowNode };

export interface TemplateOption {
  id: string;
  channel: string;
  name: string;
}

interface Props {
  campaignId: string;
  flow: FlowJson;
  templates: TemplateOption[];
  readOnly: boolean;
}

/** The flow designer: palette → canvas (drag to add, connect handles) → side panel of the selected node. */
export function FlowDesigner(props: Props) {
  return (
    <ReactFlowProvider>
      <Designer {...props} />
    </ReactFlowProvider>
  );
}

function Designer({ campaignId, flow, templates, readOnly }: Props) {
  const t = useTranslations("campaigns.flow");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const initial = useMemo(() => toCanvas(flow), [flow]);
  const [nodes, setNodes, onNodesChange] = useNodesState<DesignerNode>(initial.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>(initial.edges);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [general, setGeneral] = useState<string[] | null>(null);
  const [dirty, setDirty] = useState(false);
  const { screenToFlowPosition, fitView } = useReactFlow();

  const save = useMutation(
    trpc.campaign.saveFlow.mutationOptions({
      onSuccess: (out) => {
        const placed = attachErrors(nodes, out.errors);
        setNodes(placed.nodes);
        setGeneral(placed.general);
        setDirty(false);
        void queryClient.invalidateQueries({ queryKey: trpc.campaign.get.queryKey({ campaignId }) });
      },
    }),
  );

  const changed = useCallback(() => setDirty(true), []);

  const addNode = useCallback(
    (paletteKey: string, position?: { x: number; y: number }) => {
      const kind = kindOf(paletteKey);
      setNodes((current) => {
        const id = newNodeId(kind, current.map((n) => n.id));
        // A clicked item goes under the lowest node (the flow grows downwards), then all is brought into view.
        const lowest = current.reduce<DesignerNode | undefined>((low, n) => (!low || n.position.y > low.position.y ? n : low), undefined);
        const at = position ?? { x: lowest?.position.x ?? 0, y: (lowest?.position.y ?? -140) + 140 };
        const node: DesignerNode = { id, type: "step", position: at, selected: true, data: { kind, paletteKey, label: "", fields: defaultFields(paletteKey, templates), errors: [] } };
        setSelectedId(id);
        return [...current.map((n) => ({ ...n, selected: false })), node];
      });
      changed();
      if (!position) setTimeout(() => void fitView({ padding: 0.15, maxZoom: 1 }), 50);
    },
    [setNodes, templates, changed, fitView],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      // Each output connects exactly once: a new edge from an output replaces the old one.
      setEdges((current) => addEdge({ ...c, id: `${c.source}:${c.sourceHandle ?? "next"}` }, current.filter((e) => !(e.source === c.source && e.sourceHandle === c.sourceHandle))));
      changed();
    },
    [setEdges, changed],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const key = event.dataTransfer.getData(DRAG_TYPE);
      if (!key) return;
      addNode(key, screenToFlowPosition({ x: event.clientX - 100, y: event.clientY - 20 }));
    },
    [addNode, screenToFlowPosition],
  );

  const selected = nodes.find((n) => n.id === selectedId) ?? null;
  const errorCount = nodes.reduce((n, x) => n + x.data.errors.length, 0) + (general?.length ?? 0);

  return (
    <div className="grid gap-4 xl:grid-cols-[11rem_minmax(0,1fr)_18rem]">
      <Card className="p-3" aria-label={t("paletteTitle")}>
        <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">{t("paletteTitle")}</h2>
        <ul className="grid grid-cols-2 gap-1.5 sm:grid-cols-4 xl:grid-cols-1">
          {PALETTE.map((item) => {
            const Icon = item.icon;
            return (
              <li key={item.key}>
                <button
                  type="button"
                  draggable={!readOnly}
                  disabled={readOnly}
                  data-testid={`palette-${item.key}`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_TYPE, item.key);
                    e.dataTransfer.effectAllowed = "move";
                  }}
                  onClick={() => addNode(item.key)}
                  title={t("paletteHint")}
                  className="flex w-full cursor-grab items-center gap-2 rounded-md border border-slate-200 bg-white px-2 py-1.5 text-left text-sm text-slate-700 hover:border-brand-300 hover:bg-brand-50 disabled:cursor-not-allowed disabled:opacity-50"
                >
                  <span className={cn("grid size-6 shrink-0 place-items-center rounded", item.accent)}>
                    <Icon className="size-3.5" aria-hidden="true" />
                  </span>
                  <span className="truncate">{t(`palette.${item.key}`)}</span>
                </button>
              </li>
            );
          })}
        </ul>
        <p className="mt-3 text-xs text-slate-500">{t("paletteHint")}</p>
      </Card>

      <Card className="flex min-h-[640px] flex-col overflow-hidden">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-2">
          <p className="text-sm text-slate-600" aria-live="polite" data-testid="flow-status">
            {save.isPending ? (
              t("saving")
            ) : general === null ? (
              dirty ? t("unsaved") : t("notChecked")
            ) : errorCount === 0 ? (
              <span className="inline-flex items-center gap-1 text-emerald-700">
                <CheckCircle2 className="size-4" aria-hidden="true" />
                {dirty ? t("unsaved") : t("valid")}
              </span>
            ) : (
              <span className="inline-flex items-center gap-1 text-red-700">
                <AlertTriangle className="size-4" aria-hidden="true" />
                {t("errors", { count: errorCount })}
              </span>
            )}
          </p>
          {!readOnly && (
            <Button size="sm" icon={<Save className="size-4" />} loading={save.isPending} onClick={() => save.mutate({ campaignId, flow: toFlow(nodes, edges) })} data-testid="flow-save">
              {t("save")}
            </Button>
          )}
        </div>
        {save.isError && <p className="border-b border-red-100 bg-red-50 px-4 py-2 text-sm text-red-700">{save.error.message}</p>}
        {general && general.length > 0 && (
          <ul className="space-y-0.5 border-b border-red-100 bg-red-50 px-4 py-2 text-sm text-red-700" data-testid="flow-general-errors">
            {general.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        )}
        <div className="relative min-h-[600px] flex-1" onDragOver={(e) => (e.preventDefault(), (e.dataTransfer.dropEffect = "move"))} onDrop={onDrop} data-testid="flow-canvas">
          <ReactFlow<DesignerNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={(c) => (onNodesChange(c), c.some((x) => x.type !== "select" && x.type !== "dimensions") && changed())}
            onEdgesChange={(c) => (onEdgesChange(c), c.some((x) => x.type === "remove") && changed())}
            onConnect={onConnect}
            onSelectionChange={({ nodes: sel }) => setSelectedId(sel[0]?.id ?? null)}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            elementsSelectable
            deleteKeyCode={readOnly ? null : ["Backspace", "Delete"]}
            defaultEdgeOptions={{ type: "smoothstep", style: { strokeWidth: 1.5 } }}
            fitView
            fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={16} color="var(--color-slate-200)" />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable className="!hidden lg:!block" />
          </ReactFlow>
        </div>
      </Card>

      <NodePanel
        node={selected}
        nodes={nodes}
        templates={templates}
        readOnly={readOnly}
        onChange={(data) => {
          setNodes((current) => current.map((n) => (n.id === selected?.id ? { ...n, data: { ...n.data, ...data } } : n)));
          changed();
        }}
        onDelete={() => {
          if (!selected) return;
          setNodes((current) => current.filter((n) => n.id !== selected.id));
          setEdges((current) => current.filter((e) => e.source !== selected.id && e.target !== selected.id));
          setSelectedId(null);
          changed();
        }}
      />
    </div>
  );
}
