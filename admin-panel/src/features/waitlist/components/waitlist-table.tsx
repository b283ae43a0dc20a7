/** The waitlist in queue order: who, for what, when it suits them, since when, the offer they hold. */
import { Anchor, Button, Group, Text } from "@mantine/core";
import { Link } from "react-router";
import { DataTable, type Column } from "@/components/data-table";
import { useTimeZone } from "@/components/time-zone";
import { useI18n } from "@/lib/i18n";
import { formatDateTime, formatTime } from "@/lib/time";
import type { WaitlistEntryView } from "../api/waitlist";
import { preferencesLabel } from "../lib/waitlist";

type Props = {
  rows: WaitlistEntryView[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  filtered: boolean;
  onOffer: (entry: WaitlistEntryView) => void;
  onRemove: (entry: WaitlistEntryView) => void;
};

/** "12.12 15:00" in the panel's zone. */
const shortDateTime = (iso: string, tz: string) => formatDateTime(iso, tz).replace(/^(\d\d\.\d\d)\.\d{4}/, "$1");

export function WaitlistTable({ rows, loading, error, onRetry, filtered, onOffer, onRemove }: Props) {
  const { t } = useI18n();
  const tz = useTimeZone();
  const columns: Column<WaitlistEntryView>[] = [
    { key: "position", header: t.waitlist.position, width: 50, cell: (e) => e.position },
    {
      key: "candidate",
      header: t.waitlist.candidate,
      cardPriority: 0,
      cell: (e) => (
        <>
          <Anchor component={Link} to={`/candidates/${e.candidate_id}`}>
            {e.candidate_name}
          </Anchor>
          {e.username && (
            <Text span c="dimmed" size="sm">
              {" "}@{e.username}
            </Text>
          )}
        </>
      ),
    },
    { key: "vacancy", header: t.waitlist.vacancy, cell: (e) => e.vacancy_title ?? t.waitlist.anyVacancy },
    { key: "preferences", header: t.waitlist.preferences, cell: (e) => preferencesLabel(t, e) },
    { key: "joined", header: t.waitlist.joined, cell: (e) => formatDateTime(e.joined_at, tz) },
    {
      key: "offer",
      header: t.waitlist.offer,
      cell: (e) =>
        e.offer ? (
          <>
            <Text size="sm">{t.waitlist.offered(shortDateTime(e.offer.slot_starts_at, tz), formatTime(e.offer.expires_at, tz))}</Text>
            {e.offer.by_admin && (
              <Text size="xs" c="dimmed">
                {t.waitlist.byAdmin}
              </Text>
            )}
          </>
        ) : (
          "—"
        ),
    },
    {
      key: "actions",
      header: t.waitlist.actions,
      cardLabel: null,
      align: "right",
      cell: (e) => (
        <Group gap="xs" justify="flex-end">
          {/* An offer waiting for an answer blocks another (the offer cell says until when). */}
          <Button size="xs" variant="light" disabled={!!e.offer} onClick={() => onOffer(e)} aria-label={`${t.waitlist.offerTime}: ${e.candidate_name}`}>
            {t.waitlist.offerTime}
          </Button>
          <Button size="xs" variant="subtle" color="red" onClick={() => onRemove(e)} aria-label={`${t.waitlist.remove}: ${e.candidate_name}`}>
            {t.waitlist.remove}
          </Button>
        </Group>
      ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={rows}
      loading={loading}
      error={error}
      onRetry={onRetry}
      rowKey={(e) => e.id}
      minWidth={960}
      label={t.waitlist.title}
      emptyMessage={filtered ? t.waitlist.emptyFiltered : t.waitlist.empty}
    />
  );
}
