import { BarChart } from "@mantine/charts";
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { Empty, QueryState } from "@/components/query-state";
import { StatusBadge } from "@/components/status-badge";
import { useTimeZone } from "@/components/time-zone";
import { broadcastsQueryOptions } from "@/features/broadcasts/api/broadcasts";
import { BroadcastProgress } from "@/features/broadcasts/components/broadcast-progress";
import { statsQueryOptions } from "@/features/stats/api/stats";
import { useI18n } from "@/lib/i18n";
import { addDays, formatDateTime, mondayOf, todayIn } from "@/lib/time";

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder>
      <Text size="xs" c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Text fz={28} fw={700}>
        {value}
      </Text>
    </Card>
  );
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function DashboardRoute() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const monday = mondayOf(todayIn(tz));
  // This week and the next three: the figures and the chart.
  const stats = useQuery(statsQueryOptions({ from: monday, to: addDays(monday, 27) }));
  const broadcasts = useQuery(broadcastsQueryOptions({ limit: 5, offset: 0 }));
  return (
    <Stack>
      <Title order={2}>{t.nav.dashboard}</Title>
      <QueryState query={stats}>
        {(s) => (
          <>
            <SimpleGrid cols={{ base: 2, md: 5 }}>
              <Figure label={t.dashboard.today} value={String(s.interviews_today)} />
              <Figure label={t.dashboard.week} value={String(s.interviews_this_week)} />
              <Figure label={t.dashboard.fillRate} value={pct(s.fill_rate)} />
              <Figure label={t.dashboard.noShowRate} value={pct(s.no_show_rate)} />
              <Figure label={t.dashboard.candidates} value={String(s.candidates)} />
            </SimpleGrid>
            <Card withBorder>
              <Text fw={600} mb="sm">
                {t.dashboard.perDay}
              </Text>
              <BarChart
                h={220}
                data={Object.entries(s.bookings_per_day).map(([day, n]) => ({ day: day.slice(5), n }))}
                dataKey="day"
                series={[{ name: "n", label: t.nav.bookings, color: "indigo.6" }]}
              />
            </Card>
          </>
        )}
      </QueryState>
      <Card withBorder>
        <Text fw={600} mb="sm">
          {t.dashboard.latestBroadcasts}
        </Text>
        <QueryState query={broadcasts}>
          {(page) =>
            page.items.length === 0 ? (
              <Empty />
            ) : (
              <Stack>
                {page.items.map((b) => (
                  <div key={b.id}>
                    <Group justify="space-between" wrap="nowrap">
                      <Anchor component={Link} to={`/broadcasts/${b.id}`} lineClamp={1}>
                        #{b.id} · {formatDateTime(b.created_at, tz)}
                      </Anchor>
                      <StatusBadge status={b.status} label={t.broadcasts.status[b.status]} />
                    </Group>
                    <BroadcastProgress b={b} />
                  </div>
                ))}
              </Stack>
            )
          }
        </QueryState>
      </Card>
    </Stack>
  );
}
