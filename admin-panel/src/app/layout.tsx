import { AppShell, Burger, Button, Group, NavLink, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { NavLink as RouterNavLink, Outlet, useNavigate } from "react-router";
import { meQueryOptions, useLogout } from "@/features/auth/api/auth";
import { canUse, type Area } from "@/features/auth/lib/roles";
import { UnreadBadge } from "@/features/inbox/components/unread-badge";
import { TimeZoneProvider, useZoneName } from "@/components/time-zone";
import { useI18n, type Lang } from "@/lib/i18n";
import { useLiveUpdates } from "@/lib/live";

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t.app.language}
      value={lang}
      onChange={(v) => setLang(v as Lang)}
      data={[
        { value: "ru", label: "RU" },
        { value: "en", label: "EN" },
      ]}
    />
  );
}

function ZoneNote() {
  const { t } = useI18n();
  return (
    <Text size="xs" c="dimmed">
      {t.app.timeZone(useZoneName())}
    </Text>
  );
}

// [path, nav label, the area a role must be allowed]: each role sees only what it may use.
const LINKS: [string, keyof ReturnType<typeof useI18n>["t"]["nav"], Area][] = [
  ["/", "dashboard", "dashboard"],
  ["/my-interviews", "myInterviews", "myInterviews"],
  ["/vacancies", "vacancies", "vacancies"],
  ["/invitations", "invitations", "invitations"],
  ["/slots", "slots", "slots"],
  ["/bookings", "bookings", "bookings"],
  ["/waitlist", "waitlist", "waitlist"],
  ["/candidates", "candidates", "candidates"],
  ["/broadcasts", "broadcasts", "broadcasts"],
  ["/inbox", "inbox", "inbox"],
  ["/audit", "audit", "audit"],
  ["/team", "team", "team"],
  ["/profile", "profile", "profile"],
];

export function Layout() {
  const { t } = useI18n();
  const [opened, { toggle, close }] = useDisclosure();
  const me = useQuery(meQueryOptions());
  const logout = useLogout();
  const navigate = useNavigate();
  useLiveUpdates();
  const role = me.data?.role;
  return (
    <TimeZoneProvider zone={me.data?.time_zone} askServer={canUse(role, "dashboard")}>
      <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="menu" />
              <Title order={4}>{t.app.title}</Title>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" visibleFrom="sm">
                {me.data?.display_name || me.data?.username}
              </Text>
              {role && (
                <Text size="xs" c="dimmed" visibleFrom="sm">
                  {t.roles[role]}
                </Text>
              )}
              <Button
                size="xs"
                variant="subtle"
                loading={logout.isPending}
                onClick={() => logout.mutate(undefined, { onSettled: () => navigate("/login") })}
              >
                {t.app.logout}
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs">
          <Stack justify="space-between" h="100%">
            <div>
              {LINKS.filter(([, , area]) => canUse(role, area)).map(([to, key]) => (
                <NavLink
                  key={to}
                  component={RouterNavLink}
                  to={to}
                  end={to === "/"}
                  label={t.nav[key]}
                  rightSection={key === "inbox" ? <UnreadBadge /> : undefined}
                  onClick={close}
                />
              ))}
            </div>
            <Stack gap="xs" p="xs">
              <ZoneNote />
              <LanguageSwitch />
            </Stack>
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main>
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </TimeZoneProvider>
  );
}
