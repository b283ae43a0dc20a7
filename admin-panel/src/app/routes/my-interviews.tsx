/** "Мои собеседования" (every role; an interviewer's start page): today's and this week's interviews. */
import { Stack, Text, Title } from "@mantine/core";
import { useNavigate } from "react-router";
import { Empty, QueryState } from "@/components/query-state";
import { InterviewCard } from "@/features/my-interviews/components/interview-card";
import { useMyInterviews } from "@/features/my-interviews/hooks/use-my-interviews";
import { useI18n } from "@/lib/i18n";

export function MyInterviewsRoute() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { query } = useMyInterviews();
  const toCalendar = { label: t.myInterviews.toCalendar, onClick: () => navigate("/slots") };
  return (
    <Stack>
      <Title order={2}>{t.myInterviews.title}</Title>
      <QueryState query={query}>
        {({ today, rest }) =>
          today.length + rest.length === 0 ? (
            <Empty action={toCalendar}>{t.myInterviews.empty}</Empty>
          ) : (
            <>
              <Title order={4}>{t.myInterviews.today}</Title>
              {today.length === 0 ? (
                <Text c="dimmed" size="sm">
                  {t.myInterviews.nothingToday}
                </Text>
              ) : (
                today.map((i) => <InterviewCard key={i.slot.id} interview={i} />)
              )}
              {rest.length > 0 && (
                <>
                  <Title order={4}>{t.myInterviews.week}</Title>
                  {rest.map((i) => (
                    <InterviewCard key={i.slot.id} interview={i} />
                  ))}
                </>
              )}
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
