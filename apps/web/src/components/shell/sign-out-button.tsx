"use client";

import { Button } from "@mkt/ui";
import { useQueryClient } from "@tanstack/react-query";
import { LogOut } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { authClient } from "@/lib/auth-client";

export function SignOutButton({ iconOnly }: { iconOnly?: boolean }) {
  const t = useTranslations("shell");
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);

  const signOut = async () => {
    setBusy(true);
    await authClient.signOut();
    // Nothing of the previous user's data may stay in the cache.
    queryClient.clear();
    window.location.assign("/login");
  };

  return (
    <Button
      variant="ghost"
      size="sm"
      onClick={signOut}
      loading={busy}
      icon={<LogOut className="size-4" aria-hidden="true" />}
      aria-label={iconOnly ? t("signOut") : undefined}
      title={t("signOut")}
    >
      {!iconOnly && t("signOut")}
    </Button>
  );
}
