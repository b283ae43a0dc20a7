/** Offering a waiting candidate a time with a free seat: the seat is held for them while they answer in the bot. */
import { Alert, Button, Group, Modal, Select, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, Loading } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import { slotsQueryOptions } from "@/features/slots/api/slots";
import { useI18n } from "@/lib/i18n";
import { formatLabel } from "@/lib/labels";
import { addDays, formatDateTime, startOfLocalDay, todayIn } from "@/lib/time";
import { useOfferSlot, type WaitlistEntryView } from "../api/waitlist";
import { freeSeats, offerableSlots } from "../lib/waitlist";

/** How far ahead the offerable times are looked for. */
const WEEKS_AHEAD = 4;

export function OfferModal({ entry, onClose }: { entry: WaitlistEntryView | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal opened={entry !== null} onClose={onClose} title={entry ? t.waitlist.offerTitle(entry.candidate_name) : ""} centered size="lg">
      {entry && <OfferForm entry={entry} onClose={onClose} />}
    </Modal>
  );
}

function OfferForm({ entry, onClose }: { entry: WaitlistEntryView; onClose: () => void }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const today = todayIn(tz);
  const slots = useQuery(slotsQueryOptions({ from: startOfLocalDay(today, tz), to: startOfLocalDay(addDays(today, WEEKS_AHEAD * 7), tz) }));
  const offer = useOfferSlot();
  const [slotId, setSlotId] = useState<string | null>(null);
  const choices = offerableSlots(slots.data ?? [], entry);
  const submit = () => {
    if (slotId === null) return;
    offer.mutate(
      { entryId: entry.id, slotId: Number(slotId) },
      {
        onSuccess: () => {
          notifications.show({ color: "green", message: t.waitlist.offerSent });
          onClose();
        },
      },
    );
  };
  if (slots.isPending) return <Loading />;
  return (
    <Stack>
      <Text size="sm">{t.waitlist.offerHelp}</Text>
      {slots.error ? (
        <Alert color="red" role="alert">
          {errorMessage(slots.error, t)}
        </Alert>
      ) : choices.length === 0 ? (
        <Alert color="yellow">{t.waitlist.noFreeSlots}</Alert>
      ) : (
        <Select
          label={t.waitlist.slot}
          placeholder={t.waitlist.pickSlot}
          data={choices.map((s) => ({ value: String(s.id), label: `${formatDateTime(s.starts_at, tz)} · ${formatLabel(t, s.format)} · ${t.waitlist.seatsFree(freeSeats(s))}` }))}
          value={slotId}
          onChange={setSlotId}
          searchable
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {offer.error && (
        <Alert color="red" role="alert">
          {errorMessage(offer.error, t)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t.waitlist.notYet}
        </Button>
        <Button onClick={submit} disabled={slotId === null} loading={offer.isPending}>
          {t.waitlist.send}
        </Button>
      </Group>
    </Stack>
  );
}
