/** "Мой профиль" (every role): who is signed in, with which role, their Telegram and their calendar feed. */
import { Card, Stack, Text, Title } from "@mantine/core";
import { useRole } from "@/features/auth/hooks/use-role";
import { MyCalendar } from "@/features/me/components/my-calendar";
import { MyWorkingHours } from "@/features/me/components/my-working-hours";
import { MyTelegramCard } from "@/features/me/components/my-telegram-card";
import { useI18n } from "@/lib/i18n";

export function ProfileRoute() {
  const { t } = useI18n();
  const { me } = useRole();
  return (
    <Stack maw={720}>
      <Title order={2}>{t.profile.title}</Title>
      {me && (
        <Card withBorder>
          <Text fw={600}>{me.display_name || me.username}</Text>
          <Text size="sm" c="dimmed">
            {t.profile.login}: {me.username} · {t.profile.role}: {t.roles[me.role]}
          </Text>
        </Card>
      )}
      <MyTelegramCard />
      <MyCalendar />
      <MyWorkingHours />
    </Stack>
  );
}
