import { ComingSoon, comingSoonMetadata } from "@/components/coming-soon";

export const generateMetadata = () => comingSoonMetadata("monitoring");

export default function Page() {
  return <ComingSoon area="monitoring" />;
}
