import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { pgConfigFromUrl } from "./packages/db/src/pg-config";

// Migrate runs on the WebAssembly schema engine through the pg driver adapter: no native engine
// download is needed (air-gapped build hosts). See docs/ARCHITECTURE.md.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/marketing";
    return new PrismaPg(pgConfigFromUrl(url));
  },
});
