import { ComingSoon, comingSoonMetadata } from "@/components/coming-soon";

export const generateMetadata = () => comingSoonMetadata("campaigns");

export default function Page() {
  return <ComingSoon area="campaigns" />;
}
