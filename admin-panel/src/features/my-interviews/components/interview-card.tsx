/** One of my interviews: its time and place, and each booked candidate with their card and attendance. */
import { Anchor, Badge, Card, Group, Stack, Text } from "@mantine/core";
import { Link } from "react-router";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import { BookingActions } from "@/features/bookings/components/booking-actions";
import { useI18n } from "@/lib/i18n";
import { formatWithLocation } from "@/lib/labels";
import { dayjs, formatDateTime, formatTime } from "@/lib/time";
import type { MyInterview } from "../hooks/use-my-interviews";

export function InterviewCard({ interview: { slot, bookings } }: { interview: MyInterview }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const started = dayjs(slot.starts_at).isBefore(dayjs());
  const vacancy = bookings.find((b) => b.vacancy_title)?.vacancy_title;
  return (
    <Card withBorder p="sm" data-testid="my-interview">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text fw={600}>
            {formatDateTime(slot.starts_at, tz)}–{formatTime(dayjs(slot.starts_at).add(slot.duration_minutes, "minute").toISOString(), tz)}
          </Text>
          <Text size="sm" c="dimmed">
            {formatWithLocation(t, slot.format, slot.location)}
            {vacancy ? ` · ${vacancy}` : ""}
          </Text>
        </div>
        <Badge variant="light" color={bookings.length > 0 ? "indigo" : "gray"}>
          {t.slots.booked(bookings.length, slot.capacity)}
        </Badge>
      </Group>
      <Stack gap={6} mt="xs">
        {bookings.length === 0 && (
          <Text size="sm" c="dimmed">
            {t.myInterviews.free}
          </Text>
        )}
        {bookings.map((b) => (
          <Group key={b.id} justify="space-between" wrap="wrap" gap="xs">
            <Group gap="xs">
              <Anchor component={Link} to={`/candidates/${b.candidate_id}`} aria-label={`${t.myInterviews.openCard}: ${b.first_name} ${b.last_name ?? ""}`.trim()}>
                {`${b.first_name} ${b.last_name ?? ""}`.trim()}
              </Anchor>
              {b.username && (
                <Text size="sm" c="dimmed">
                  @{b.username}
                </Text>
              )}
              <StatusBadge status={b.status} label={t.bookings.status[b.status]} />
            </Group>
            {started ? (
              <BookingActions booking={b} />
            ) : (
              <Text size="xs" c="dimmed">
                {t.myInterviews.notStarted}
              </Text>
            )}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
