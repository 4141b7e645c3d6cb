import { createElement, isValidElement, type ReactElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { ErrorState } from "./error-state";
import { combineQueries, QueryState, type QueryLike, type QueryStateProps } from "./query-state";

type Data = { items: string[] };
const labels = { loading: "加载中", errorTitle: "加载失败", errorDescription: "请稍后再试", retry: "重试" };
const props = (query: QueryLike<Data>, over: Partial<QueryStateProps<Data>> = {}): QueryStateProps<Data> => ({
  query,
  labels,
  isEmpty: (d) => d.items.length === 0,
  empty: createElement("p", null, "暂无数据"),
  children: (d) => createElement("ul", null, d.items.map((i) => createElement("li", { key: i }, i))),
  ...over,
});
const html = (p: QueryStateProps<Data>) => renderToStaticMarkup(createElement(QueryState<Data>, p));

describe("QueryState", () => {
  it("shows skeleton rows (announced) while loading, or the caller's placeholder", () => {
    const out = html(props({ isPending: true, isError: false, data: undefined }, { skeletonRows: 3 }));
    expect(out).toContain('role="status"');
    expect(out).toContain("加载中");
    expect(out.match(/animate-pulse/g)).toHaveLength(9); // 3 rows × 3 blocks
    expect(html(props({ isPending: true, isError: false, data: undefined }, { loading: createElement("i", null, "…") }))).toBe("<i>…</i>");
  });

  it("shows the error with a retry that refetches; a better description when the caller has one; no button without refetch", () => {
    const refetch = vi.fn();
    const query = { isPending: false, isError: true, data: undefined, error: new Error("boom"), refetch };
    const out = html(props(query));
    expect(out).toContain('role="alert"');
    expect(out).toContain("加载失败");
    expect(out).toContain("请稍后再试");
    expect(out).toContain("重试</button>");

    // The retry button calls the query's refetch.
    const el = QueryState(props(query)) as ReactElement<{ retry?: { onRetry: () => void } }>;
    expect(isValidElement(el) && el.type).toBe(ErrorState);
    el.props.retry!.onRetry();
    expect(refetch).toHaveBeenCalledTimes(1);

    expect(html(props(query, { describeError: (e) => (e as Error).message }))).toContain("boom");
    expect(html(props(query, { describeError: () => undefined }))).toContain("请稍后再试");
    expect(html(props(query, { retry: false }))).not.toContain("<button");
    expect(html(props({ ...query, refetch: undefined }))).not.toContain("<button");
    // A failed refetch after data was shown: the error, not the stale rows.
    expect(html(props({ ...query, data: { items: ["旧"] } }))).not.toContain("旧");
  });

  it("lets the caller show its own state for an error it knows, or frame the generic one", () => {
    const query = { isPending: false, isError: true, data: undefined, error: { code: "NOT_FOUND" }, refetch: vi.fn() };
    const renderError = (error: unknown, errorState: ReactNode) =>
      (error as { code?: string }).code === "NOT_FOUND" ? createElement("p", null, "不存在") : createElement("section", null, errorState);
    expect(html(props(query, { renderError }))).toBe("<p>不存在</p>");
    const framed = html(props({ ...query, error: new Error("boom") }, { renderError }));
    expect(framed.startsWith("<section>")).toBe(true);
    expect(framed).toContain('role="alert"');
    expect(framed).toContain("重试</button>");
    // Loaded data never reaches it.
    expect(html(props({ isPending: false, isError: false, data: { items: ["甲"] } }, { renderError }))).toBe("<ul><li>甲</li></ul>");
  });

  it("shows the empty state for loaded data with nothing in it, else the content", () => {
    expect(html(props({ isPending: false, isError: false, data: { items: [] } }))).toBe("<p>暂无数据</p>");
    expect(html(props({ isPending: false, isError: false, data: { items: ["甲", "乙"] } }))).toBe("<ul><li>甲</li><li>乙</li></ul>");
    expect(html(props({ isPending: false, isError: false, data: { items: [] } }, { empty: (d) => createElement("p", null, `共 ${d.items.length} 条`) }))).toBe("<p>共 0 条</p>");
    // Without an empty state (or a test for emptiness) the content renders whatever it holds.
    expect(html(props({ isPending: false, isError: false, data: { items: [] } }, { empty: undefined }))).toBe("<ul></ul>");
  });
});

describe("combineQueries", () => {
  const loaded = <T,>(data: T): QueryLike<T> => ({ isPending: false, isError: false, data, refetch: vi.fn() });
  const pending: QueryLike<number> = { isPending: true, isError: false, data: undefined, refetch: vi.fn() };

  it("has the tuple of the data once every query has its own, and is pending while one is", () => {
    const both = combineQueries(loaded({ items: ["甲"] }), loaded(7));
    expect(both).toMatchObject({ isPending: false, isError: false, data: [{ items: ["甲"] }, 7] });
    const [first, second] = both.data!;
    expect(first.items[0]).toBe("甲");
    expect(second + 1).toBe(8);
    expect(combineQueries(loaded("a"), pending)).toMatchObject({ isPending: true, isError: false, data: undefined });
  });

  it("types the data of union-typed results (as TanStack Query's are) without undefined", () => {
    type Result<T> = { isPending: true; isError: false; data: undefined } | { isPending: false; isError: false; data: T } | { isPending: false; isError: true; data: T | undefined; error: Error };
    const a = loaded({ n: 1 }) as Result<{ n: number }>;
    const b = loaded(["x"]) as Result<string[]>;
    const [first, second] = combineQueries(a, b).data!;
    expect(first.n + second.length).toBe(2);
  });

  it("fails as soon as one query has failed, with its error, even while another is pending; retry refetches the failed ones", () => {
    const boom = new Error("boom");
    const failed: QueryLike<string> = { isPending: false, isError: true, data: "stale", error: boom, refetch: vi.fn() };
    const ok = loaded("fine");
    const combined = combineQueries(ok, pending, failed);
    expect(combined).toMatchObject({ isPending: false, isError: true, error: boom, data: undefined });
    combined.refetch!();
    expect(failed.refetch).toHaveBeenCalledTimes(1);
    expect(ok.refetch).not.toHaveBeenCalled();
    expect(pending.refetch).not.toHaveBeenCalled();
    // Shown through QueryState: the error, never the other query's data.
    const out = renderToStaticMarkup(createElement(QueryState<[string, number, string]>, { query: combined, labels, children: (d) => d.join() }));
    expect(out).toContain('role="alert"');
    expect(out).not.toContain("fine");
  });
});
