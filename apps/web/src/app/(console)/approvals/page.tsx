import { ComingSoon, comingSoonMetadata } from "@/components/coming-soon";

export const generateMetadata = () => comingSoonMetadata("approvals");

export default function Page() {
  return <ComingSoon area="approvals" />;
}
