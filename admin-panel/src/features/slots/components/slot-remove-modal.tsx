/** Cancel or delete a slot, naming the booked candidates who will be notified. */
import { List, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage, QueryState } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import { useI18n } from "@/lib/i18n";
import { formatDateTime, zoneAside } from "@/lib/time";
import { slotQueryOptions, useRemoveSlot } from "../api/slots";

export function SlotRemoveModal({ id, mode, onClose }: { id: number; mode: "cancel" | "delete"; onClose: () => void }) {
  const { t, lang } = useI18n();
  const tz = useTimeZone();
  const slot = useQuery(slotQueryOptions(id));
  const remove = useRemoveSlot();
  return (
    <ConfirmModal
      opened
      title={mode === "cancel" ? t.slots.cancelSlot : t.slots.deleteSlot}
      confirmLabel={mode === "cancel" ? t.slots.cancelSlot : t.slots.deleteSlot}
      withReason
      loading={remove.isPending}
      onClose={onClose}
      onConfirm={(reason) =>
        remove.mutate(
          { id, mode, reason },
          {
            onSuccess: (r) => {
              notifications.show({ color: "green", message: t.slots.removed(r.cancelled_bookings.length) });
              onClose();
            },
            onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
          },
        )
      }
    >
      <QueryState query={slot}>
        {(s) => (
          <>
            <Text>
              {formatDateTime(s.starts_at, tz)} {zoneAside(tz, lang, s.starts_at)}. {mode === "cancel" ? t.slots.confirmCancel : t.slots.confirmDelete}
            </Text>
            {s.bookings.length === 0 ? (
              <Text c="dimmed">{t.slots.nobodyBooked}</Text>
            ) : (
              <>
                <Text fw={500}>{t.slots.willNotify}</Text>
                <List>
                  {s.bookings.map((b) => (
                    <List.Item key={b.id}>
                      {b.first_name} {b.last_name ?? ""} {b.username ? `@${b.username}` : ""}
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </>
        )}
      </QueryState>
    </ConfirmModal>
  );
}
