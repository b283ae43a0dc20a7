/** The dashboard's waitlist card: who waits, what came of the offers, confirmations, no-shows by week. */
import { Card, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { DataTable, type Column } from "@/components/data-table";
import { useQuery } from "@tanstack/react-query";
import { QueryState } from "@/components/query-state";
import { useI18n } from "@/lib/i18n";
import { formatYmd } from "@/lib/time";
import { waitlistStatsQueryOptions, type WaitlistStats } from "../api/waitlist";

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function WaitlistStatsCard() {
  const { t } = useI18n();
  const stats = useQuery(waitlistStatsQueryOptions());
  return (
    <Card withBorder data-testid="waitlist-stats">
      <Text fw={600} mb="sm">
        {t.waitlist.stats.title}
      </Text>
      <QueryState query={stats}>{(s) => <WaitlistFigures stats={s} />}</QueryState>
    </Card>
  );
}

function Line({ label, value }: { label: string; value: string | number }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text size="sm">{label}</Text>
      <Text size="sm" fw={600}>
        {value}
      </Text>
    </Group>
  );
}

function WaitlistFigures({ stats: s }: { stats: WaitlistStats }) {
  const { t } = useI18n();
  const w = t.waitlist.stats;
  const waiting = s.waiting_by_vacancy.filter((v) => v.waiting > 0);
  type Week = WaitlistStats["no_show_by_week"][number];
  const weekColumns: Column<Week>[] = [
    { key: "week", header: w.week, cardPriority: 0, cell: (r) => formatYmd(r.week_start) },
    { key: "attended", header: w.attended, align: "right", cell: (r) => r.attended },
    { key: "no_show", header: w.noShow, align: "right", cell: (r) => r.no_show },
    { key: "rate", header: w.rate, align: "right", cell: (r) => (r.rate != null ? pct(r.rate) : "—") },
  ];
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase">
            {w.waiting}
          </Text>
          {waiting.length === 0 ? (
            <Text size="sm" c="dimmed">
              {w.nobodyWaiting}
            </Text>
          ) : (
            waiting.map((v) => <Line key={v.vacancy_id ?? "any"} label={v.vacancy_title ?? t.waitlist.anyVacancy} value={v.waiting} />)
          )}
        </Stack>
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase">
            {w.offers}
          </Text>
          <Text size="sm" fw={600} data-testid="waitlist-refilled">
            {w.refilled(s.refilled)}
          </Text>
          <Line label={w.accepted} value={s.offers.accepted} />
          <Line label={w.declined} value={s.offers.declined} />
          <Line label={w.expired} value={s.offers.expired} />
          {s.offers.held > 0 && <Line label={w.held} value={s.offers.held} />}
        </Stack>
        <Stack gap={4}>
          <Text size="xs" c="dimmed" tt="uppercase">
            {w.confirmationTitle}
          </Text>
          {s.confirmation.rate != null ? (
            <>
              <Text size="sm" fw={600}>
                {w.confirmation(pct(s.confirmation.rate))}
              </Text>
              <Text size="xs" c="dimmed">
                {w.confirmationOf(s.confirmation.confirmed, s.confirmation.asked)}
              </Text>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {w.noConfirmation}
            </Text>
          )}
        </Stack>
      </SimpleGrid>
      <div>
        <Text size="sm" fw={600} mb={4}>
          {w.noShowByWeek}
        </Text>
        {s.no_show_by_week.some((r) => r.attended + r.no_show > 0) ? (
          <DataTable columns={weekColumns} rows={s.no_show_by_week} rowKey={(r) => r.week_start} minWidth={320} label={w.noShowByWeek} />
        ) : (
          <Text size="sm" c="dimmed">
            {w.noAttendance}
          </Text>
        )}
      </div>
    </Stack>
  );
}
