/** The waitlist (issue 15): who waits for a seat, offering one by hand, removing; and the requests to book after no-shows. */
import { Alert, Card, Stack, Tabs, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmModal } from "@/components/confirm";
import { DateField } from "@/components/date-fields";
import { FilterBar } from "@/components/filter-bar";
import { errorMessage } from "@/components/query-state";
import { VacancySelect } from "@/features/vacancies/components/vacancy-select";
import { approvalsQueryOptions, useRemoveEntry, waitlistQueryOptions, type WaitlistEntryView } from "@/features/waitlist/api/waitlist";
import { ApprovalsList } from "@/features/waitlist/components/approvals-list";
import { OfferModal } from "@/features/waitlist/components/offer-modal";
import { WaitlistTable } from "@/features/waitlist/components/waitlist-table";
import { useI18n } from "@/lib/i18n";

export function WaitlistRoute() {
  const { t } = useI18n();
  const [vacancyId, setVacancyId] = useState<number | null>(null);
  const [day, setDay] = useState("");
  const filter = { ...(vacancyId !== null ? { vacancy_id: vacancyId } : {}), ...(day ? { day } : {}) };
  const entries = useQuery(waitlistQueryOptions(filter));
  const pending = useQuery(approvalsQueryOptions("requested"));
  const remove = useRemoveEntry();
  const [offering, setOffering] = useState<WaitlistEntryView | null>(null);
  const [removing, setRemoving] = useState<WaitlistEntryView | null>(null);
  const filtered = vacancyId !== null || day !== "";
  const waitingRequests = pending.data?.length ?? 0;
  return (
    <Stack>
      <Title order={2}>{t.waitlist.title}</Title>
      <Tabs defaultValue="waitlist" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="waitlist">{t.waitlist.title}</Tabs.Tab>
          <Tabs.Tab value="approvals">{waitingRequests > 0 ? `${t.approvals.title} (${waitingRequests})` : t.approvals.title}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="waitlist">
          <Stack>
            <Text size="sm" c="dimmed">
              {t.waitlist.hint}
            </Text>
            <FilterBar
              cols={{ base: 1, xs: 2, md: 3 }}
              filtered={filtered}
              onReset={() => {
                setVacancyId(null);
                setDay("");
              }}
            >
              <VacancySelect label={t.waitlist.vacancy} anyLabel={t.waitlist.allVacancies} withArchived value={vacancyId} onChange={setVacancyId} />
              <DateField label={t.waitlist.day} description={t.waitlist.dayHint} value={day} onChange={setDay} />
            </FilterBar>
            <Card withBorder>
              <WaitlistTable
                rows={entries.data}
                loading={entries.isPending}
                error={entries.error}
                onRetry={() => void entries.refetch()}
                filtered={filtered}
                onOffer={setOffering}
                onRemove={(e) => {
                  remove.reset();
                  setRemoving(e);
                }}
              />
            </Card>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="approvals">
          <Stack>
            <Text size="sm" c="dimmed">
              {t.approvals.hint}
            </Text>
            <Card withBorder>
              <ApprovalsList />
            </Card>
          </Stack>
        </Tabs.Panel>
      </Tabs>
      <OfferModal entry={offering} onClose={() => setOffering(null)} />
      <ConfirmModal
        opened={removing !== null}
        title={removing ? t.waitlist.removeTitle(removing.candidate_name) : ""}
        confirmLabel={t.waitlist.remove}
        cancelLabel={t.waitlist.keep}
        loading={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.id, {
            onSuccess: () => {
              notifications.show({ color: "green", message: t.waitlist.removed });
              setRemoving(null);
            },
          })
        }
      >
        {remove.error ? (
          <Alert color="red" role="alert">
            {errorMessage(remove.error, t)}
          </Alert>
        ) : (
          <Text size="sm">{t.waitlist.removeHint}</Text>
        )}
      </ConfirmModal>
    </Stack>
  );
}
