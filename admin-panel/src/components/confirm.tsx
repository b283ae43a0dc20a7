/** A confirmation before anything destructive, with an optional reason field. */
import { Button, Group, Modal, Stack, Textarea } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { useI18n } from "@/lib/i18n";

type Props = {
  opened: boolean;
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  color?: string;
  withReason?: boolean;
  loading?: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
};

export function ConfirmModal({ opened, title, children, confirmLabel, color = "red", withReason, loading, onConfirm, onClose }: Props) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <Stack>
        {children}
        {withReason && (
          <Textarea label={t.common.reasonOptional} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t.common.cancel}
          </Button>
          <Button color={color} loading={loading} onClick={() => onConfirm(reason.trim())}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
