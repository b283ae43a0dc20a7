import { Card, Stack, Text, Title } from "@mantine/core";
import { useNavigate } from "react-router";
import { DataTable } from "@/components/data-table";
import { useBroadcastColumns } from "@/features/broadcasts/components/broadcast-columns";
import { BroadcastCompose } from "@/features/broadcasts/components/broadcast-compose";
import { useBroadcastsPage } from "@/features/broadcasts/hooks/use-broadcast-lists";
import { useI18n } from "@/lib/i18n";

export function BroadcastsRoute() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const table = useBroadcastsPage();
  const columns = useBroadcastColumns();
  return (
    <Stack>
      <Title order={2}>{t.broadcasts.title}</Title>
      <Card withBorder>
        <Text fw={600} mb="sm">
          {t.broadcasts.compose}
        </Text>
        <BroadcastCompose onCreated={(b) => navigate(`/broadcasts/${b.id}`)} />
      </Card>
      <DataTable columns={columns} rowKey={(b) => b.id} minWidth={720} striped={false} label={t.broadcasts.title} {...table} />
    </Stack>
  );
}
