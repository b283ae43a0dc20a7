/** The dashboard's figures and bookings-per-day chart for a range of local dates. */
import { BarChart } from "@mantine/charts";
import { Card, SimpleGrid, Text } from "@mantine/core";
import { useNavigate } from "react-router";
import { Empty } from "@/components/query-state";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { perDayRows } from "@/lib/labels";

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

export function StatsOverview({ stats: s }: { stats: Schemas["Dashboard"] }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const rows = perDayRows(s.bookings_per_day, lang);
  const none = rows.every((r) => r.n === 0);
  return (
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
        {none ? (
          <Empty action={{ label: t.bookings.toSlots, onClick: () => navigate("/slots") }}>{t.dashboard.noBookings}</Empty>
        ) : (
          <BarChart
            h={220}
            data={rows}
            dataKey="day"
            // Counts of bookings: whole numbers on the axis, never 0.25 steps.
            yAxisProps={{ allowDecimals: false }}
            series={[{ name: "n", label: t.nav.bookings, color: "indigo.6" }]}
          />
        )}
      </Card>
    </>
  );
}
