import { ComingSoon, comingSoonMetadata } from "@/components/coming-soon";

export const generateMetadata = () => comingSoonMetadata("benefits");

export default function Page() {
  return <ComingSoon area="benefits" />;
}
