import { Stack, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { QueryState } from "@/components/query-state";
import { useTimeZone } from "@/components/time-zone";
import { LatestBroadcasts } from "@/features/broadcasts/components/latest-broadcasts";
import { statsQueryOptions } from "@/features/stats/api/stats";
import { StatsOverview } from "@/features/stats/components/stats-overview";
import { FunnelSection } from "@/features/funnel/components/funnel-section";
import { WaitlistStatsCard } from "@/features/waitlist/components/waitlist-stats";
import { useI18n } from "@/lib/i18n";
import { addDays, mondayOf, todayIn } from "@/lib/time";

export function DashboardRoute() {
  const { t } = useI18n();
  const tz = useTimeZone();
  const monday = mondayOf(todayIn(tz));
  // This week and the next three: the figures and the chart.
  const stats = useQuery(statsQueryOptions({ from: monday, to: addDays(monday, 27) }));
  return (
    <Stack>
      <Title order={2}>{t.nav.dashboard}</Title>
      <QueryState query={stats}>{(s) => <StatsOverview stats={s} />}</QueryState>
      <WaitlistStatsCard />
      <FunnelSection />
      <LatestBroadcasts />
    </Stack>
  );
}
