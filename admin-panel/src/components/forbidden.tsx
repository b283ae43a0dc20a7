/** What a role may not use: said politely, with the way back to the role's start page. */
import { Button, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router";
import { useI18n } from "@/lib/i18n";

export function Forbidden({ home = "/" }: { home?: string }) {
  const { t } = useI18n();
  return (
    <Stack align="flex-start" gap="sm" role="alert" aria-label={t.forbidden.title}>
      <Title order={2}>{t.forbidden.title}</Title>
      <Text c="dimmed">{t.forbidden.text}</Text>
      <Button component={Link} to={home} variant="light">
        {t.forbidden.home}
      </Button>
    </Stack>
  );
}
