import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// Locale comes from a cookie (no locale-prefixed routes); see src/i18n/request.ts.
const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

const nextConfig: NextConfig = {
  // Internal packages export TypeScript source, so Next compiles them with the app.
  transpilePackages: ["@mkt/api", "@mkt/core", "@mkt/db", "@mkt/jobs", "@mkt/ui"],
  // Native or dynamically loaded server libraries stay outside the bundle.
  serverExternalPackages: ["@prisma/adapter-pg", "pg", "pg-copy-streams", "ioredis", "bullmq", "roaring", "@node-rs/crc32"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default withNextIntl(nextConfig);
