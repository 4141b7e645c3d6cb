import { createElement, isValidElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { CursorPagination, cursorStackTo, Pagination, type CursorPages, type CursorPaginationProps, type PaginationProps } from "./pagination";

const labels = { previous: "上一页", next: "下一页", nav: "分页", status: (page: number) => `第 ${page} 页` };
const pagesAt = (page: number, go = vi.fn()): CursorPages<string> => ({ page, cursor: page === 1 ? null : `c${page}`, go, reset: vi.fn() });
const html = (p: CursorPaginationProps<string>) => renderToStaticMarkup(createElement(CursorPagination<string>, p));
const buttons = (out: string) => [...out.matchAll(/<button([^>]*)>/g)].map((m) => (/ disabled=""/.test(m[1]!) ? "disabled" : "enabled"));

describe("cursorStackTo", () => {
  it("pushes the shown page's next cursor going forward, pops going back, ignores the rest", () => {
    expect(cursorStackTo([null], 2, "a")).toEqual([null, "a"]);
    expect(cursorStackTo([null, "a"], 3, "b")).toEqual([null, "a", "b"]);
    expect(cursorStackTo([null, "a", "b"], 2, "c")).toEqual([null, "a"]);
    expect(cursorStackTo([null, "a", "b"], 1, "c")).toEqual([null]);
    // No next page, a jump past the next one, or page 0: nothing changes.
    expect(cursorStackTo([null, "a"], 3, null)).toEqual([null, "a"]);
    expect(cursorStackTo([null], 3, "a")).toEqual([null]);
    expect(cursorStackTo([null, "a"], 0, "b")).toEqual([null, "a"]);
  });
});

describe("CursorPagination", () => {
  it("renders nothing while the list fits on the first page", () => {
    expect(html({ pages: pagesAt(1), nextCursor: null, labels })).toBe("");
  });

  it("on the first page with more: previous disabled, next enabled, page status in a named nav", () => {
    const out = html({ pages: pagesAt(1), nextCursor: "a", labels });
    expect(out).toContain('aria-label="分页"');
    expect(out).toContain("第 1 页");
    expect(out).toContain("border-t");
    expect(buttons(out)).toEqual(["disabled", "enabled"]);
  });

  it("on the last page: previous enabled, next disabled; both wait while the asked-for page loads", () => {
    expect(buttons(html({ pages: pagesAt(3), nextCursor: null, labels }))).toEqual(["enabled", "disabled"]);
    const busy = html({ pages: pagesAt(2), nextCursor: "b", labels, busy: true });
    expect(busy).toContain('aria-busy="true"');
    expect(buttons(busy)).toEqual(["disabled", "disabled"]);
  });

  it("pages through its cursor pages with the shown page's next cursor", () => {
    const go = vi.fn();
    const wrapper = CursorPagination({ pages: pagesAt(2, go), nextCursor: "b", labels }) as ReactElement<{ children: ReactElement<PaginationProps> }>;
    const pager = wrapper.props.children;
    expect(isValidElement(pager) && pager.type).toBe(Pagination);
    expect(pager.props.pageCount).toBe(3);
    pager.props.onPage(3);
    pager.props.onPage(1);
    expect(go.mock.calls).toEqual([
      [3, "b"],
      [1, "b"],
    ]);
  });
});
