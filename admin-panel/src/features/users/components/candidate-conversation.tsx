/** The candidate's conversation with the recruiters on their card: the same view as in "Сообщения", with the reply box. */
import { Card, Text } from "@mantine/core";
import { ConversationView } from "@/features/inbox/components/conversation-view";
import { useI18n } from "@/lib/i18n";

export function CandidateConversation({ candidateId }: { candidateId: number }) {
  const { t } = useI18n();
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        {t.inbox.conversation}
      </Text>
      <ConversationView candidateId={candidateId} />
    </Card>
  );
}
