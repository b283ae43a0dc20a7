/** A slot's details: its time, place, vacancy, interviewers and booked candidates (each to their card). */
import { Anchor, List, Modal, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { QueryState } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import { useI18n } from "@/lib/i18n";
import { formatWithLocation, slotShownStatus, slotStatusLabel } from "@/lib/labels";
import { formatDateTime } from "@/lib/time";
import { slotQueryOptions } from "../api/slots";

export function SlotDetailModal({ id, vacancyTitle, onClose }: { id: number; vacancyTitle: (id: number | null | undefined) => string; onClose: () => void }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const slot = useQuery(slotQueryOptions(id));
  return (
    <Modal opened onClose={onClose} title={t.slotDetail.title} centered>
      <QueryState query={slot}>
        {(s) => {
          // The bookings carry their vacancy's title (an interviewer may not list vacancies).
          const vacancy = s.bookings.find((b) => b.vacancy_title)?.vacancy_title || vacancyTitle(s.vacancy_id);
          const booked = s.bookings.filter((b) => b.status === "active" || b.status === "attended" || b.status === "no_show");
          return (
            <Stack gap="xs">
              <Text fw={600}>
                {formatDateTime(s.starts_at, tz)} · {t.vacancies.minutes(s.duration_minutes)}
              </Text>
              <Text size="sm">{formatWithLocation(t, s.format, s.location)}</Text>
              <StatusBadge status={slotShownStatus(s)} label={slotStatusLabel(t, s)} />
              {s.held > 0 && (
                <Text size="sm" c="orange" data-testid="slot-held">
                  {t.waitlist.heldSeats(s.held)}
                </Text>
              )}
              {vacancy && (
                <Text size="sm">
                  {t.slots.vacancy}: {vacancy}
                </Text>
              )}
              <Text size="sm" data-testid="slot-interviewers">
                {t.slotDetail.interviewers}: {s.interviewers.length ? s.interviewers.map((i) => i.name).join(", ") : t.interviewers.none}
              </Text>
              {s.notes && (
                <Text size="sm" c="dimmed">
                  {s.notes}
                </Text>
              )}
              <Text size="sm" fw={500}>
                {t.slotDetail.candidates}
              </Text>
              {booked.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t.slotDetail.nobody}
                </Text>
              ) : (
                <List size="sm">
                  {booked.map((b) => (
                    <List.Item key={b.id}>
                      <Anchor component={Link} to={`/candidates/${b.candidate_id}`} onClick={onClose}>
                        {`${b.first_name} ${b.last_name ?? ""}`.trim()}
                      </Anchor>{" "}
                      · {t.bookings.status[b.status]}
                    </List.Item>
                  ))}
                </List>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Modal>
  );
}
