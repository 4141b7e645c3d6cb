/** Remembers the collapsed desktop sidebar between visits (read on the server to avoid a flash). */
export const SIDEBAR_COOKIE = "sidebar";
