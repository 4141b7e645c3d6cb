"use client";

import { Button, Dialog } from "@mkt/ui";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";

interface Props {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

/** "Are you sure?" for actions that cannot be taken back (revoke a key, deactivate a user). */
export function ConfirmDialog({ open, title, description, confirmLabel, danger, busy, onConfirm, onClose }: Props) {
  const t = useTranslations("common");
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      description={description}
      closeLabel={t("close")}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t("cancel")}
          </Button>
          <Button variant={danger ? "danger" : "primary"} onClick={onConfirm} loading={busy}>
            {confirmLabel}
          </Button>
        </>
      }
    />
  );
}
