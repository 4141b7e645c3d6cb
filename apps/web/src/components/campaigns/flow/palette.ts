import {
  BellRing,
  BriefcaseBusiness,
  Clock,
  DoorOpen,
  GitBranch,
  Mail,
  MessageCircle,
  MessageSquareText,
  Phone,
  Play,
  Shuffle,
  type LucideIcon,
} from "lucide-react";

/**
 * The palette of the flow designer: what a marketer can drag onto the canvas. Each item makes
 * one node of the flow JSON (packages/core/src/campaigns/flow.ts); the send items differ only in
 * their channel. An RM task is the lead node (a lead for the customer's RM), not a send. `key` names the item in the "campaigns.flow.palette" messages.
 */
export interface PaletteItem {
  key: string;
  icon: LucideIcon;
  /** Tailwind classes of the node's accent (icon chip). */
  accent: string;
}

export const PALETTE: PaletteItem[] = [
  { key: "entry", icon: Play, accent: "bg-emerald-100 text-emerald-700" },
  { key: "SMS", icon: MessageSquareText, accent: "bg-brand-100 text-brand-700" },
  { key: "EMAIL", icon: Mail, accent: "bg-brand-100 text-brand-700" },
  { key: "APP_PUSH", icon: BellRing, accent: "bg-brand-100 text-brand-700" },
  { key: "WECHAT", icon: MessageCircle, accent: "bg-brand-100 text-brand-700" },
  { key: "CALL", icon: Phone, accent: "bg-brand-100 text-brand-700" },
  { key: "wait", icon: Clock, accent: "bg-amber-100 text-amber-700" },
  { key: "branch", icon: GitBranch, accent: "bg-violet-100 text-violet-700" },
  { key: "split", icon: Shuffle, accent: "bg-violet-100 text-violet-700" },
  { key: "lead", icon: BriefcaseBusiness, accent: "bg-sky-100 text-sky-700" },
  { key: "exit", icon: DoorOpen, accent: "bg-slate-200 text-slate-700" },
];

export const paletteItem = (key: string): PaletteItem => PALETTE.find((p) => p.key === key) ?? PALETTE[PALETTE.length - 1]!;

/** The MIME type a palette item is dragged with (the canvas accepts only this). */
export const DRAG_TYPE = "application/x-mkt-flow-node";
