import { ComingSoon, comingSoonMetadata } from "@/components/coming-soon";

export const generateMetadata = () => comingSoonMetadata("models");

export default function Page() {
  return <ComingSoon area="models" />;
}
