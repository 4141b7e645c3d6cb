"use client";

import { Button, cn, Field, focusRing, Input } from "@mkt/ui";
import { Eye, EyeOff, TriangleAlert } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { readLocaleCookie, writeLocaleCookie } from "@/i18n/locale-cookie";
import { isLocale } from "@/i18n/locales";
import { authClient } from "@/lib/auth-client";
import { useTRPCClient } from "@/lib/trpc";

type Failure = { kind: "required" | "invalid" | "disabled" | "failed" } | { kind: "rateLimited"; seconds: number | null };

/** Only same-origin paths are followed after sign-in (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/dashboard";
}

export function LoginForm({ next, expired }: { next: string | null; expired: boolean }) {
  const t = useTranslations("login");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [showPassword, setShowPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const trpc = useTRPCClient();

  /**
   * The language follows the user: a choice made on this browser (the cookie) is saved to the
   * profile; on a browser without one, the profile's language is taken.
   */
  const syncLocale = async () => {
    const chosen = readLocaleCookie();
    if (chosen) {
      await trpc.me.setLocale.mutate({ locale: chosen });
    } else {
      const { locale } = await trpc.me.get.query();
      if (isLocale(locale)) writeLocaleCookie(locale);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setFailure({ kind: "required" });
      return;
    }
    setBusy(true);
    setFailure(null);
    let retryAfter: number | null = null;
    try {
      const { error } = await authClient.signIn.username(
        { username: username.trim(), password },
        {
          onError: (ctx) => {
            const header = ctx.response.headers.get("X-Retry-After");
            retryAfter = header ? Number(header) : null;
          },
        },
      );
      if (!error) {
        await syncLocale().catch(() => undefined);
        // A full navigation so the server renders the console with the new session cookie.
        window.location.assign(safeNext(next));
        return;
      }
      if (error.status === 429) setFailure({ kind: "rateLimited", seconds: retryAfter });
      else if (error.status === 401) setFailure({ kind: "invalid" });
      else if (error.status === 403) setFailure({ kind: "disabled" });
      else setFailure({ kind: "failed" });
    } catch {
      setFailure({ kind: "failed" });
    }
    setBusy(false);
  };

  const message = failure
    ? failure.kind === "rateLimited"
      ? failure.seconds
        ? t("rateLimited", { seconds: failure.seconds })
        : t("rateLimitedNoTime")
      : t(failure.kind)
    : expired
      ? t("sessionExpired")
      : null;

  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-describedby={message ? "login-message" : undefined}>
      {message && (
        <div
          id="login-message"
          role="alert"
          data-testid="login-error"
          className={cn(
            "flex items-start gap-2 rounded-md border px-3 py-2.5 text-sm",
            failure ? "border-red-200 bg-red-50 text-red-800" : "border-amber-200 bg-amber-50 text-amber-800",
          )}
        >
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <span>{message}</span>
        </div>
      )}
      <Field label={t("username")}>
        {({ id, describedBy }) => (
          <Input
            id={id}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={failure?.kind === "required" && !username.trim() ? true : undefined}
            className="h-11"
          />
        )}
      </Field>
      <Field label={t("password")}>
        {({ id, describedBy }) => (
          <div className="relative">
            <Input
              id={id}
              name="password"
              type={showPassword ? "text" : "password"}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={failure?.kind === "required" && !password ? true : undefined}
              className="h-11 pr-11"
            />
            <button
              type="button"
              onClick={() => setShowPassword(!showPassword)}
              aria-label={showPassword ? t("hidePassword") : t("showPassword")}
              aria-pressed={showPassword}
              className={cn("absolute inset-y-0 right-0 grid w-11 place-items-center rounded-r-md text-slate-400 hover:text-slate-700", focusRing)}
            >
              {showPassword ? <EyeOff className="size-4" aria-hidden="true" /> : <Eye className="size-4" aria-hidden="true" />}
            </button>
          </div>
        )}
      </Field>
      <Button type="submit" size="lg" loading={busy} className="w-full">
        {busy ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
