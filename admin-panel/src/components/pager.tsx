import { Group, Pagination, Text } from "@mantine/core";
import { useI18n } from "@/lib/i18n";

export function Pager({ total, limit, offset, onChange }: { total: number; limit: number; offset: number; onChange: (offset: number) => void }) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed">
        {t.common.total(total)}
      </Text>
      {pages > 1 && <Pagination size="sm" total={pages} value={Math.floor(offset / limit) + 1} onChange={(p) => onChange((p - 1) * limit)} />}
    </Group>
  );
}
