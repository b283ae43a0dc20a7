/** Cancelling a booking, with a reason the candidate is told. */
import { Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { ConfirmModal } from "@/components/confirm";
import { errorMessage } from "@/components/query-state";
import { useTimeZone, useZoneAside } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatDateTime } from "@/lib/time";
import { useCancelBooking } from "../api/bookings";

export function CancelBookingModal({ booking, onClose }: { booking: Schemas["BookingRow"]; onClose: () => void }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const zoneAside = useZoneAside(booking.slot_starts_at);
  const cancel = useCancelBooking();
  return (
    <ConfirmModal
      opened
      title={t.bookings.cancelTitle(booking.first_name)}
      confirmLabel={t.bookings.cancel}
      cancelLabel={t.bookings.keep}
      withReason
      loading={cancel.isPending}
      onClose={onClose}
      onConfirm={(reason) =>
        cancel.mutate(
          { id: booking.id, reason },
          {
            onSuccess: () => {
              notifications.show({ color: "green", message: t.bookings.cancelled });
              onClose();
            },
            onError: (e) => notifications.show({ color: "red", message: errorMessage(e) }),
          },
        )
      }
    >
      <Text>
        {formatDateTime(booking.slot_starts_at, tz)} {zoneAside}. {t.bookings.cancelHint}
      </Text>
    </ConfirmModal>
  );
}
