import { Group, Progress, Text } from "@mantine/core";
import type { Schemas } from "@/lib/api-client";
import { useI18n } from "@/lib/i18n";

/** Sent / failed / blocked as a stacked bar, with the figures. */
export function BroadcastProgress({ b }: { b: Schemas["BroadcastView"] }) {
  const { t } = useI18n();
  const c = (k: string) => b.counts[k] ?? 0;
  const total = Object.values(b.counts).reduce((a, n) => a + n, 0) || 1;
  const pct = (n: number) => (n / total) * 100;
  const pending = c("pending") + c("published") + c("sending");
  return (
    <div>
      <Progress.Root size="lg" aria-label={t.broadcasts.progress}>
        <Progress.Section value={pct(c("sent"))} color="green" />
        <Progress.Section value={pct(c("failed"))} color="red" />
        <Progress.Section value={pct(c("blocked"))} color="orange" />
        <Progress.Section value={pct(c("cancelled"))} color="gray" />
      </Progress.Root>
      <Group gap="md" mt={4}>
        <Text size="xs">{Math.round(b.progress * 100)}%</Text>
        <Text size="xs" c="green">{t.broadcasts.counts.sent}: {c("sent")}</Text>
        <Text size="xs" c="red">{t.broadcasts.counts.failed}: {c("failed")}</Text>
        <Text size="xs" c="orange">{t.broadcasts.counts.blocked}: {c("blocked")}</Text>
        {c("cancelled") > 0 && <Text size="xs" c="dimmed">{t.broadcasts.counts.cancelled}: {c("cancelled")}</Text>}
        {pending > 0 && <Text size="xs" c="dimmed">{t.broadcasts.counts.pending}: {pending}</Text>}
      </Group>
    </div>
  );
}
