/** A booking's buttons: attendance once its slot has started, a cancel before (none otherwise). */
import { Button, Group } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { errorMessage } from "@/components/query-state";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { dayjs } from "@/lib/time";
import { useMarkAttendance } from "../api/bookings";

type Row = Schemas["BookingRow"];

const started = (b: Row) => dayjs(b.slot_starts_at).isBefore(dayjs());
/** Attendance is marked once the slot has started, on a booking that was not cancelled. */
const canMark = (b: Row) => (b.status === "active" || b.status === "attended" || b.status === "no_show") && started(b);
/** Only an active booking of a slot still ahead can be cancelled. */
const canCancel = (b: Row) => b.status === "active" && !started(b);
export const hasBookingActions = (b: Row) => canMark(b) || canCancel(b);

/** Without `onCancel` (an interviewer, who may not cancel), only the attendance buttons. */
export function BookingActions({ booking: b, onCancel }: { booking: Row; onCancel?: (b: Row) => void }) {
  const { t } = useI18n();
  const mark = useMarkAttendance();
  const onError = (e: unknown) => notifications.show({ color: "red", message: errorMessage(e) });
  const markAs = (status: Schemas["Attendance"]) => mark.mutate({ id: b.id, status }, { onError });
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      {canMark(b) && (
        <>
          <Button
            size="compact-xs"
            variant={b.status === "attended" ? "filled" : "light"}
            color="green"
            loading={mark.isPending && mark.variables?.status === "attended"}
            onClick={() => markAs("attended")}
          >
            {t.bookings.attended}
          </Button>
          <Button
            size="compact-xs"
            variant={b.status === "no_show" ? "filled" : "light"}
            color="orange"
            loading={mark.isPending && mark.variables?.status === "no_show"}
            onClick={() => markAs("no_show")}
          >
            {t.bookings.noShow}
          </Button>
        </>
      )}
      {canCancel(b) && onCancel && (
        <Button size="compact-xs" variant="light" color="red" onClick={() => onCancel(b)}>
          {t.bookings.cancel}
        </Button>
      )}
    </Group>
  );
}
