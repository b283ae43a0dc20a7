/** A candidate's bookings and the messages sent to them, as two lists. */
import { Anchor, Card, SimpleGrid, Text } from "@mantine/core";
import { Empty } from "@/components/query-state";
import { Link, useNavigate } from "react-router";
import { DataTable, type Column } from "@/components/data-table";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { formatWithLocation } from "@/lib/labels";
import { formatDateTime } from "@/lib/time";
import { AnswerList, FoldedAnswers } from "@/features/bookings/components/answers";

/** A readable name for a notification delivery (its JSON carries a `type`). */
export function notificationLabel(json: string | null | undefined, kinds: Record<string, string>): string | null {
  if (!json) return null;
  try {
    const type = (JSON.parse(json) as { type?: string }).type;
    return (type && Object.hasOwn(kinds, type) ? kinds[type] : undefined) ?? null;
  } catch {
    return null;
  }
}

export function CandidateBookings({ bookings }: { bookings: Schemas["BookingRow"][] }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  const columns: Column<Schemas["BookingRow"]>[] = [
    { key: "time", header: t.bookings.slot, cell: (b) => formatDateTime(b.slot_starts_at, tz) },
    { key: "format", header: t.slots.format, cell: (b) => formatWithLocation(t, b.format, b.location) },
    {
      key: "vacancy",
      header: t.bookings.vacancy,
      cell: (b) =>
        b.vacancy_title || b.answers?.length ? (
          <>
            {b.vacancy_title && <Text size="sm">{b.vacancy_title}</Text>}
            <FoldedAnswers answers={b.answers} />
          </>
        ) : null,
    },
    {
      key: "status",
      header: t.common.status,
      cell: (b) => (
        <>
          <StatusBadge status={b.status} label={b.cancelled_by === "system" ? t.bookings.released : t.bookings.status[b.status]} />
          {b.cancel_reason && <Text size="xs" c="dimmed">{b.cancel_reason}</Text>}
        </>
      ),
    },
  ];
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t.candidates.bookings}</Text>
      <DataTable columns={columns} rows={bookings} rowKey={(b) => b.id} minWidth={480} striped={false} label={t.candidates.bookings} emptyMessage={t.candidates.noBookings} emptyAction={{ label: t.bookings.toSlots, onClick: () => navigate("/slots") }} />
    </Card>
  );
}

export function CandidateMessages({ deliveries }: { deliveries: Schemas["Delivery"][] }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  const columns: Column<Schemas["Delivery"]>[] = [
    { key: "at", header: t.candidates.sentAt, cell: (d) => formatDateTime(d.sent_at ?? d.created_at, tz) },
    {
      key: "message",
      header: t.candidates.message,
      cell: (d) =>
        d.broadcast_id != null ? (
          <Anchor component={Link} to={`/broadcasts/${d.broadcast_id}`}>{t.candidates.broadcastMessage}</Anchor>
        ) : (
          (notificationLabel(d.notification, t.candidates.notificationKinds) ?? t.candidates.deliveryKind[d.kind])
        ),
    },
    {
      key: "status",
      header: t.common.status,
      cell: (d) => (
        <>
          <StatusBadge status={d.status} label={t.broadcasts.deliveryStatus[d.status]} />
          {d.last_error && <Text size="xs" c="dimmed">{d.last_error}</Text>}
        </>
      ),
    },
  ];
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t.candidates.messages}</Text>
      <DataTable columns={columns} rows={deliveries} rowKey={(d) => d.id} minWidth={480} striped={false} label={t.candidates.messages} emptyMessage={t.candidates.noMessages} emptyAction={{ label: t.broadcasts.compose, onClick: () => navigate("/broadcasts") }} />
    </Card>
  );
}

/** Where the candidate came from (first and last invitation link) and their questionnaires per vacancy. */
export function CandidateAnswers({ user: u }: { user: Schemas["UserDetail"] }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        {t.candidates.answers}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2 }} mb="sm" maw={560}>
        <div>
          <Text size="xs" c="dimmed">
            {t.candidates.firstSource}
          </Text>
          <Text size="sm">{u.first_source ?? t.candidates.noSource}</Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t.candidates.lastSource}
          </Text>
          <Text size="sm">{u.last_source ?? t.candidates.noSource}</Text>
        </div>
      </SimpleGrid>
      {u.answers.length === 0 ? (
        <Empty action={{ label: t.candidates.toVacancies, onClick: () => navigate("/vacancies") }}>{t.candidates.noAnswers}</Empty>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {u.answers.map((a) => (
            <Card key={a.vacancy_id} withBorder padding="sm" data-testid="questionnaire">
              <Text fw={500}>{a.vacancy_title}</Text>
              <Text size="xs" c="dimmed" mb={6}>
                {a.completed_at ? t.candidates.completedAt(formatDateTime(a.completed_at, tz)) : t.candidates.notCompleted}
              </Text>
              <AnswerList answers={a.answers} />
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}

/** What the interviewers said after the candidate's interviews (from Telegram), newest first. */
export function CandidateFeedback({ feedback }: { feedback: Schemas["FeedbackRow"][] }) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const navigate = useNavigate();
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        {t.candidates.feedback}
      </Text>
      {feedback.length === 0 ? (
        <Empty action={{ label: t.candidates.toSlots, onClick: () => navigate("/slots") }}>{t.candidates.noFeedback}</Empty>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {feedback.map((f) => (
            <Card key={`${f.booking_id}-${f.interviewer}`} withBorder padding="sm" data-testid="feedback">
              <Text fw={500}>{f.interviewer}</Text>
              <Text size="xs" c="dimmed" mb={6}>
                {t.candidates.interviewOf(formatDateTime(f.slot_starts_at, tz))}
              </Text>
              <Text size="sm">
                {[
                  f.attended == null ? null : f.attended ? t.candidates.came : t.candidates.notCame,
                  f.score == null ? null : `${"★".repeat(f.score)}${"☆".repeat(5 - f.score)} (${t.candidates.score(f.score)})`,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </Text>
              {f.note && (
                <Text size="sm" mt={4} style={{ whiteSpace: "pre-wrap" }}>
                  {f.note}
                </Text>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}
