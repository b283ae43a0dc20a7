import { Anchor, Badge, Card, Grid, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import { Pager } from "@/components/pager";
import { QueryState } from "@/components/query-state";
import { conversationQueryOptions } from "@/features/inbox/api/inbox";
import { ConversationList } from "@/features/inbox/components/conversation-list";
import { ConversationView } from "@/features/inbox/components/conversation-view";
import { useInboxPage } from "@/features/inbox/hooks/use-inbox-page";
import { userQueryOptions } from "@/features/users/api/users";
import { candidateName } from "@/features/users/components/candidate-header";
import { useI18n } from "@/lib/i18n";

/** The open conversation's heading: who, and the way to their card. */
function ConversationTitle({ id }: { id: number }) {
  const { t } = useI18n();
  const user = useQuery(userQueryOptions(id));
  const u = user.data;
  return (
    <Group justify="space-between" wrap="wrap" gap="xs">
      <div style={{ minWidth: 0 }}>
        <Text fw={600}>{u ? candidateName(u) : t.inbox.conversation}</Text>
        {u?.username && <Text size="xs" c="dimmed">@{u.username}</Text>}
      </div>
      <Anchor component={Link} to={`/candidates/${id}`} size="sm">
        {t.inbox.openCandidate}
      </Anchor>
    </Group>
  );
}

/**
 * "Сообщения": the conversations on the left, the open one on the right (`/inbox/:id`). On a
 * phone one of the two at a time: the list, or the conversation with a way back.
 */
export function InboxRoute() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const param = Number(useParams().id);
  const selected = Number.isInteger(param) && param > 0 ? param : undefined;
  const { query, paging } = useInboxPage();
  // Fetched here too so a conversation opened by link is ready when the view mounts.
  useQuery({ ...conversationQueryOptions(selected ?? 0), enabled: selected !== undefined });
  return (
    <Stack>
      <Group gap="sm">
        <Title order={2}>{t.inbox.title}</Title>
        {query.data && query.data.total_unread > 0 && <Badge color="red">{t.inbox.unread(query.data.total_unread)}</Badge>}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }} display={selected ? { base: "none", md: "block" } : undefined}>
          <Card withBorder p="xs">
            <QueryState query={query}>
              {(page) => (
                <>
                  <ConversationList items={page.items} selected={selected} onSelect={(id) => navigate(`/inbox/${id}`)} />
                  {page.total > 0 && <Pager {...paging} />}
                </>
              )}
            </QueryState>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }} display={selected ? undefined : { base: "none", md: "block" }}>
          <Card withBorder>
            {selected ? (
              <Stack gap="sm">
                <Anchor component={Link} to="/inbox" size="sm" hiddenFrom="md">
                  ← {t.inbox.title}
                </Anchor>
                <ConversationTitle id={selected} />
                <ConversationView key={selected} candidateId={selected} />
              </Stack>
            ) : (
              <Text c="dimmed" ta="center" py="lg">
                {t.inbox.pick}
              </Text>
            )}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
