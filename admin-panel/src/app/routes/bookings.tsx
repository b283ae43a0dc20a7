import { Button, Group, Stack, Title } from "@mantine/core";
import { useState } from "react";
import { DataTable } from "@/components/data-table";
import type { Schemas } from "@/lib/api-client";
import { exportCsvUrl } from "@/features/bookings/api/bookings";
import { BookingFilters } from "@/features/bookings/components/booking-filters";
import { useBookingColumns } from "@/features/bookings/components/booking-columns";
import { CancelBookingModal } from "@/features/bookings/components/cancel-booking-modal";
import { useBookingsPage } from "@/features/bookings/hooks/use-bookings-page";
import { useI18n } from "@/lib/i18n";

export function BookingsRoute() {
  const { t, lang } = useI18n();
  const { list, rangeOk, table } = useBookingsPage();
  const [cancelling, setCancelling] = useState<Schemas["BookingRow"] | null>(null);
  const columns = useBookingColumns(setCancelling);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t.bookings.title}</Title>
        <Button component="a" href={exportCsvUrl({ from: list.filters.from, to: list.filters.to }, lang)} variant="light" download>
          {t.bookings.exportCsv}
        </Button>
      </Group>
      <BookingFilters list={list} rangeOk={rangeOk} />
      <DataTable columns={columns} rowKey={(b) => b.id} minWidth={760} label={t.bookings.title} {...table} />
      {cancelling && <CancelBookingModal booking={cancelling} onClose={() => setCancelling(null)} />}
    </Stack>
  );
}
