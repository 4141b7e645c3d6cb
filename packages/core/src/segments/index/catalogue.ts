/**
 * The tags a segment rule may read: published tags with their value type and enum labels (a
 * label's code in tag_column is its position in the enum list).
 */
import type { Db } from "@mkt/db";
import { enumCodes } from "../../tags/definitions";
import type { SegmentTagInfo, TagValueType } from "../rule";

export interface CatalogueTag extends SegmentTagInfo {
  id: number;
  code: string;
  realtime: boolean;
}

export async function loadSegmentCatalogue(db: Db): Promise<Map<string, CatalogueTag>> {
  const tags = await db.tag.findMany({
    where: { status: "PUBLISHED" },
    select: { id: true, code: true, valueType: true, enumValues: true, sourceKind: true },
  });
  return new Map(
    tags.map((t) => [
      t.code,
      { id: t.id, code: t.code, valueType: t.valueType as TagValueType, enumValues: enumCodes(t.enumValues), realtime: t.sourceKind === "REALTIME" },
    ]),
  );
}
