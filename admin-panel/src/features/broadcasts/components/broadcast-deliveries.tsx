/** A broadcast's deliveries, one per recipient, paged and filterable by status; polled while the broadcast runs. */
import { Card, Group, Text } from "@mantine/core";
import { DataTable } from "@/components/data-table";
import { ChoiceFilter } from "@/components/filter-bar";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";
import { useDeliveriesList } from "../hooks/use-broadcast-lists";
import { useDeliveryColumns } from "./broadcast-columns";

const STATUSES: Schemas["DeliveryStatus"][] = ["pending", "published", "sending", "sent", "failed", "blocked", "cancelled"];

export function BroadcastDeliveries({ id, running }: { id: number; running: boolean }) {
  const { t } = useI18n();
  const { list, table } = useDeliveriesList(id, running);
  const columns = useDeliveryColumns();
  return (
    <Card withBorder>
      <Group justify="space-between" align="flex-end" mb="xs">
        <Text fw={600}>{t.broadcasts.deliveries}</Text>
        <ChoiceFilter
          label={t.common.status}
          value={list.filters.status}
          options={STATUSES.map((s) => ({ value: s, label: t.broadcasts.deliveryStatus[s] }))}
          onChange={(v) => list.setFilter("status", v)}
        />
      </Group>
      <DataTable columns={columns} rowKey={(d) => d.id} minWidth={480} striped={false} label={t.broadcasts.deliveries} {...table} />
    </Card>
  );
}
