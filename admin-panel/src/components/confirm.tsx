/**
 * A confirmation before anything destructive, with an optional reason field. The two buttons never
 * read alike: the way out says what it keeps ("Не отменять"), or "Назад" by default, never "Отмена"
 * beside "Отменить запись".
 */
import { Button, Group, Modal, Stack, Textarea } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { useI18n } from "@/lib/i18n";

type Props = {
  opened: boolean;
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  /** The way out; "Назад" / "Back" unless given. */
  cancelLabel?: string;
  color?: string;
  withReason?: boolean;
  loading?: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
};

export function ConfirmModal({ opened, title, children, confirmLabel, cancelLabel, color = "red", withReason, loading, onConfirm, onClose }: Props) {
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
            {cancelLabel ?? t.common.back}
          </Button>
          <Button color={color} loading={loading} onClick={() => onConfirm(reason.trim())}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
