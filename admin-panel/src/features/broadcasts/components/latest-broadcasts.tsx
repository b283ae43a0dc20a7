/** The few latest broadcasts with their progress (the dashboard's card). */
import { Card, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { DataTable, queryTableProps } from "@/components/data-table";
import { useI18n } from "@/lib/i18n";
import { broadcastsQueryOptions } from "../api/broadcasts";
import { useBroadcastColumns } from "./broadcast-columns";

export function LatestBroadcasts({ count = 5 }: { count?: number }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const broadcasts = useQuery(broadcastsQueryOptions({ limit: count, offset: 0 }));
  const columns = useBroadcastColumns();
  return (
    <Card withBorder>
      <Text fw={600} mb="sm">
        {t.dashboard.latestBroadcasts}
      </Text>
      <DataTable
        columns={columns}
        rowKey={(b) => b.id}
        minWidth={720}
        striped={false}
        label={t.dashboard.latestBroadcasts}
        {...queryTableProps(broadcasts)}
        emptyMessage={t.dashboard.noBroadcasts}
        emptyAction={{ label: t.broadcasts.compose, onClick: () => navigate("/broadcasts") }}
      />
    </Card>
  );
}
