import { Anchor, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { QueryState } from "@/components/query-state";
import { userQueryOptions } from "@/features/users/api/users";
import { CandidateHeader } from "@/features/users/components/candidate-header";
import { CandidateConversation } from "@/features/users/components/candidate-conversation";
import { CandidateAnswers, CandidateBookings, CandidateMessages } from "@/features/users/components/candidate-history";
import { useI18n } from "@/lib/i18n";

export function CandidateRoute() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const user = useQuery({ ...userQueryOptions(id), enabled: valid });
  if (!valid) return <Text>{t.notFound}</Text>;
  return (
    <Stack>
      <Anchor component={Link} to="/candidates" size="sm">
        ← {t.candidates.title}
      </Anchor>
      <QueryState query={user}>
        {(u) => (
          <>
            <CandidateHeader user={u} />
            <CandidateAnswers user={u} />
            <CandidateConversation candidateId={u.id} />
            <CandidateBookings bookings={u.bookings} />
            <CandidateMessages deliveries={u.deliveries} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}
