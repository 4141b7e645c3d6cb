/**
 * What an API key may be granted: the permissions the system-to-system routes check. Its own
 * module (no node:crypto) so the console's key dialog can list them.
 */
export const API_KEY_SCOPES = ["import:write", "import:read", "event:write", "call:read", "call:write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
