// ESLint 9 flat config for the whole monorepo. typescript-eslint's recommended rules without
// type information, so linting stays fast; `pnpm typecheck` does the type-aware part.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const processEnvMessage =
  "Read configuration through the package's env.ts (zod-validated), not process.env directly.";

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/.next/**", "**/dist/**", "**/generated/**", "**/next-env.d.ts", "**/.turbo/**", "coverage/**", "playwright-report/**", "test-results/**", ".data/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: processEnvMessage }],
      "no-restricted-syntax": [
        "error",
        { selector: "VariableDeclarator[init.name='process'] > ObjectPattern > Property[key.name='env']", message: processEnvMessage },
      ],
    },
  },
  {
    // The two classic hook rules; the React Compiler rule set of the plugin's "recommended" is not used.
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  {
    // Where reading the environment is the point: env modules, scripts and benchmarks (developer
    // tooling run from a shell), tests and config files.
    files: [
      "**/env.ts",
      "scripts/**",
      "bench/**",
      "**/*.test.ts",
      "**/*.test.tsx",
      "**/test/**",
      "**/testing/**",
      "e2e/**",
      "**/*.config.{js,mjs,cjs,ts,mts}",
    ],
    rules: { "no-restricted-properties": "off", "no-restricted-syntax": "off" },
  },
);
