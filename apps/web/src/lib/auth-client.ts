"use client";

import { usernameClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

/** better-auth's browser client against this origin's /api/auth (username + password sign-in). */
export const authClient = createAuthClient({ plugins: [usernameClient()] });
