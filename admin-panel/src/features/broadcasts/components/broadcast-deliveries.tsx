/** A broadcast's deliveries, one per recipient, paged; polled while the broadcast runs. */
import { Card, Text } from "@mantine/core";
import { DataTable } from "@/components/data-table";
import { useI18n } from "@/lib/i18n";
import { useDeliveriesList } from "../hooks/use-broadcast-lists";
import { useDeliveryColumns } from "./broadcast-columns";

export function BroadcastDeliveries({ id, running }: { id: number; running: boolean }) {
  const { t } = useI18n();
  const table = useDeliveriesList(id, running);
  const columns = useDeliveryColumns();
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">{t.broadcasts.deliveries}</Text>
      <DataTable columns={columns} rowKey={(d) => d.id} minWidth={480} striped={false} label={t.broadcasts.deliveries} {...table} />
    </Card>
  );
}
