import { ComingSoon, comingSoonMetadata } from "@/components/coming-soon";

export const generateMetadata = () => comingSoonMetadata("leads");

export default function Page() {
  return <ComingSoon area="leads" />;
}
