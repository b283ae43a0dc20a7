/**
 * The slots page's dialogs: create or edit one slot, generate many (then `onBulkDone` with the
 * first created day), cancel or delete one.
 */
import { Modal } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { QueryState } from "@/components/query-state";
import { useI18n } from "@/lib/i18n";
import { slotQueryOptions } from "../api/slots";
import type { SlotDialog } from "../hooks/use-slots-page";
import { BulkForm } from "./bulk-form";
import { SlotDetailModal } from "./slot-detail";
import { SlotForm } from "./slot-form";
import { SlotRemoveModal } from "./slot-remove-modal";

type Props = {
  dialog: SlotDialog;
  onClose: () => void;
  onBulkDone: (firstDay: string) => void;
  vacancyTitle: (id: number | null | undefined) => string;
};

export function SlotDialogs({ dialog, onClose, onBulkDone, vacancyTitle }: Props) {
  const { t } = useI18n();
  return (
    <>
      <Modal
        opened={dialog?.kind === "create" || dialog?.kind === "edit"}
        onClose={onClose}
        title={dialog?.kind === "edit" ? t.common.edit : t.slots.createOne}
        centered
      >
        {dialog?.kind === "create" && <SlotForm onDone={onClose} />}
        {dialog?.kind === "edit" && <EditSlot id={dialog.id} onDone={onClose} />}
      </Modal>
      <Modal opened={dialog?.kind === "bulk"} onClose={onClose} title={t.bulk.title} size="lg" centered>
        {dialog?.kind === "bulk" && <BulkForm onDone={onBulkDone} />}
      </Modal>
      {(dialog?.kind === "cancel" || dialog?.kind === "delete") && <SlotRemoveModal id={dialog.id} mode={dialog.kind} onClose={onClose} />}
      {dialog?.kind === "detail" && <SlotDetailModal id={dialog.id} vacancyTitle={vacancyTitle} onClose={onClose} />}
    </>
  );
}

/** The calendar carries no notes: the slot is fetched whole when its edit form opens. */
function EditSlot({ id, onDone }: { id: number; onDone: () => void }) {
  const slot = useQuery(slotQueryOptions(id));
  return <QueryState query={slot}>{(detail) => <SlotForm slot={detail} onDone={onDone} />}</QueryState>;
}
