import { Text } from "@mantine/core";
import { useI18n } from "@/lib/i18n";

export function NotFoundRoute() {
  const { t } = useI18n();
  return <Text c="dimmed">{t.notFound}</Text>;
}
