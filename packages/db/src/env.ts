/** The database package's environment (zod-validated, parsed on first use). */
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL")
    .optional(),
});

let parsed: z.infer<typeof schema> | undefined;

export function dbEnv(): z.infer<typeof schema> {
  parsed ??= schema.parse(process.env);
  return parsed;
}
