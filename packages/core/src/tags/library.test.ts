import { describe, expect, it } from "vitest";
import { checkLibrary } from "./install-library";
import { LIBRARY_CATEGORIES, LIBRARY_TAGS } from "./library";

describe("starter library", () => {
  it("has at least 60 tags with unique codes, every rule valid and the whole set acyclic", () => {
    expect(LIBRARY_TAGS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(LIBRARY_TAGS.map((t) => t.code)).size).toBe(LIBRARY_TAGS.length);
    expect(() => checkLibrary()).not.toThrow();
  });

  it("covers all seven themes, each tag in a second-level category", () => {
    const parent = new Map(LIBRARY_CATEGORIES.map((c) => [c.code, c.parent]));
    const themes = new Set(LIBRARY_TAGS.map((t) => parent.get(t.category)));
    expect([...themes].sort()).toEqual(["ASSET", "LIABILITY", "NATURAL", "PRODUCT", "RISK", "TRANSACTION", "VALUE"]);
    expect(LIBRARY_CATEGORIES.filter((c) => !c.parent)).toHaveLength(7);
  });

  it("gives every tag a definition in both languages and enum values with labels", () => {
    for (const t of LIBRARY_TAGS) {
      expect(t.definition.length, t.code).toBeGreaterThan(4);
      expect(t.definitionEn.length, t.code).toBeGreaterThan(4);
      if (t.valueType === "ENUM") expect(t.enumValues?.length, t.code).toBeGreaterThan(1);
    }
  });
});
