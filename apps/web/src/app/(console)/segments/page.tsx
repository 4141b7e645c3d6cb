import { ComingSoon, comingSoonMetadata } from "@/components/coming-soon";

export const generateMetadata = () => comingSoonMetadata("segments");

export default function Page() {
  return <ComingSoon area="segments" />;
}
