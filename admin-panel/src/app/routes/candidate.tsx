import { Anchor, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { QueryState } from "@/components/query-state";
import { userQueryOptions } from "@/features/users/api/users";
import { CandidateHeader } from "@/features/users/components/candidate-header";
import { CandidateConversation } from "@/features/users/components/candidate-conversation";
import { CandidateAnswers, CandidateBookings, CandidateFeedback, CandidateMessages } from "@/features/users/components/candidate-history";
import { useRole } from "@/features/auth/hooks/use-role";
import { CandidateWaitlist } from "@/features/waitlist/components/candidate-waitlist";
import { useI18n } from "@/lib/i18n";

export function CandidateRoute() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const user = useQuery({ ...userQueryOptions(id), enabled: valid });
  // An interviewer sees the card of their own candidates: no inbox, no blocking, no broadcasts.
  const full = useRole().role !== "interviewer";
  if (!valid) return <Text>{t.notFound}</Text>;
  return (
    <Stack>
      <Anchor component={Link} to={full ? "/candidates" : "/my-interviews"} size="sm">
        ← {full ? t.candidates.title : t.myInterviews.title}
      </Anchor>
      <QueryState query={user}>
        {(u) => (
          <>
            <CandidateHeader user={u} actions={full} />
            {full && <CandidateWaitlist user={u} />}
            <CandidateAnswers user={u} />
            <CandidateFeedback feedback={u.feedback} />
            {full && <CandidateConversation candidateId={u.id} />}
            <CandidateBookings bookings={u.bookings} />
            {full && <CandidateMessages deliveries={u.deliveries} />}
          </>
        )}
      </QueryState>
    </Stack>
  );
}
