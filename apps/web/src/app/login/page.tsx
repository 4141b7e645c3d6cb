import { Landmark, ShieldCheck } from "lucide-react";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { getShellUser } from "@/lib/session";
import { LoginForm } from "./login-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("login");
  return { title: t("submit") };
}

export default async function LoginPage({ searchParams }: PageProps<"/login">) {
  if (await getShellUser()) redirect("/dashboard");
  const params = await searchParams;
  const next = typeof params.next === "string" ? params.next : null;
  const t = await getTranslations("login");
  const tCommon = await getTranslations("common");

  return (
    <div className="flex min-h-dvh flex-col bg-gradient-to-br from-brand-950 via-brand-900 to-brand-800">
      <div className="flex items-center justify-between px-5 py-4 sm:px-8">
        <div className="flex items-center gap-2.5 text-white">
          <span className="grid size-9 place-items-center rounded-md bg-brand-500">
            <Landmark className="size-5" aria-hidden="true" />
          </span>
          <span>
            <span className="block text-base font-semibold">{tCommon("appName")}</span>
            <span className="block text-xs text-brand-200">{tCommon("appTagline")}</span>
          </span>
        </div>
        <LocaleSwitch compact />
      </div>
      <main className="flex flex-1 items-center justify-center px-4 py-8">
        <div className="w-full max-w-sm rounded-xl bg-white p-6 shadow-2xl sm:p-8">
          <h1 className="text-xl font-semibold text-slate-900">{t("title")}</h1>
          <p className="mt-1 mb-6 text-sm text-slate-500">{t("subtitle")}</p>
          <LoginForm next={next} expired={params.expired === "1"} />
          <p className="mt-6 flex gap-2 border-t border-slate-100 pt-4 text-xs leading-relaxed text-slate-500">
            <ShieldCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden="true" />
            {t("securityNote")}
          </p>
        </div>
      </main>
      <footer className="px-5 py-4 text-center text-xs text-brand-300">{t("footer")}</footer>
    </div>
  );
}
