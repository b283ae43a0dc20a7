/** The total and, when there is more than one page, the page switcher under a list. */
import { Group, Pagination, Text } from "@mantine/core";
import { useI18n } from "@/lib/i18n";

/** A page of a list as the table shows it: pages count from 1. */
export type Paging = { total: number; page: number; pageSize: number; onPageChange: (page: number) => void };

export function Pager({ total, page, pageSize, onPageChange }: Paging) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Group justify="space-between" mt="sm" gap="xs">
      <Text size="sm" c="dimmed">
        {t.common.total(total)}
      </Text>
      {pages > 1 && (
        <Pagination
          size="sm"
          total={pages}
          value={Math.min(page, pages)}
          onChange={onPageChange}
          siblings={1}
          boundaries={1}
          getControlProps={(control) => ({ "aria-label": t.common.pageControl[control] })}
          getItemProps={(p) => ({ "aria-label": t.common.pageN(p) })}
        />
      )}
    </Group>
  );
}
