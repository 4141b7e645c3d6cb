import { ComingSoon, comingSoonMetadata } from "@/components/coming-soon";

export const generateMetadata = () => comingSoonMetadata("tags");

export default function Page() {
  return <ComingSoon area="tags" />;
}
