/** The data dictionary as the console's dictionary page and the API documentation show it. */
import { z } from "zod";
import { DICTIONARY, IMPORT_KINDS, describeFieldType } from "./dictionary";

const text = z.object({ zh: z.string(), en: z.string() });

export const dictionaryOutput = z.array(
  z.object({
    kind: z.enum(IMPORT_KINDS),
    label: text,
    description: text,
    naturalKey: text,
    fields: z.array(
      z.object({
        key: z.string(),
        label: text,
        type: z.string(),
        required: z.boolean(),
        default: z.string().nullable(),
        /** The type's rule, e.g. "Date YYYY-MM-DD". */
        rule: text,
        note: text.nullable(),
        /** Allowed values of an enum field. */
        values: z.array(z.string()).nullable(),
        example: z.string(),
      }),
    ),
  }),
);

export function dictionaryView(): z.infer<typeof dictionaryOutput> {
  return IMPORT_KINDS.map((kind) => {
    const d = DICTIONARY[kind];
    return {
      kind,
      label: d.label,
      description: d.description,
      naturalKey: d.naturalKey,
      fields: d.fields.map((f) => ({
        key: f.key,
        label: f.label,
        type: f.type.kind === "ref" ? `ref:${f.type.target}` : f.type.kind,
        required: f.required,
        default: f.default ?? null,
        rule: describeFieldType(f.type),
        note: f.note ?? null,
        values: f.type.kind === "enum" ? [...f.type.values] : null,
        example: f.example,
      })),
    };
  });
}
