/** Reads and writes the KEY=value files under .data/ (generated secrets, the running services). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, "$2");
  }
  return vars;
}

export function writeEnvFile(file: string, vars: Record<string, string>, header: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const body = Object.entries(vars).map(([k, v]) => `${k}=${v}`).join("\n");
  writeFileSync(file, `# ${header}\n${body}\n`, { mode: 0o600 });
}
