import type { Metadata } from "next";
import { Forbidden } from "@/components/forbidden";
import { TagDetail } from "@/components/tags/tag-detail";
import { pageAccess } from "@/lib/session";

export async function generateMetadata({ params }: { params: Promise<{ code: string }> }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).code) };
}

export default async function TagPage({ params }: { params: Promise<{ code: string }> }) {
  const { user, allowed } = await pageAccess("tag:read");
  const code = decodeURIComponent((await params).code);
  return allowed ? <TagDetail code={code} can={{ write: user.permissions.includes("tag:write"), approve: user.permissions.includes("tag:approve") }} /> : <Forbidden />;
}
