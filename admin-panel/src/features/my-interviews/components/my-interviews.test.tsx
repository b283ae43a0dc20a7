import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { MyInterviewsRoute } from "@/app/routes/my-interviews";
import type { Schemas } from "@/lib/api-client";
import { addDays, dayjs, localToIso, mondayOf, todayIn } from "@/lib/time";
import { bookingRow, listPage, me } from "@/testing/fixtures";
import { callsTo, currentPath, mockApi, queryOf, renderWithProviders } from "@/testing/render";

const TZ = "Europe/Moscow";
const today = todayIn(TZ);
const slot = (over: Partial<Schemas["CalendarSlot"]>): Schemas["CalendarSlot"] => ({
  id: 1,
  starts_at: localToIso(today, "00:05", TZ),
  duration_minutes: 45,
  capacity: 1,
  booked: 1,
  held: 0,
  format: "online",
  status: "open",
  ...over,
});

describe("MyInterviewsRoute", () => {
  it("shows today's interviews with their candidates; attendance once started, the card a click away", async () => {
    // Another day of this week: the one after today, or before it on a Sunday.
    const other = dayjs(today).day() === 0 ? addDays(today, -1) : addDays(today, 1);
    const started = slot({ id: 1 });
    const later = slot({ id: 2, starts_at: localToIso(other, "12:00", TZ), booked: 0 });
    const calls = mockApi({
      "GET /api/auth/me": () => me({ id: 7, role: "interviewer" }),
      "GET /api/slots": () => ({ items: [later, started], next: null }),
      "GET /api/bookings": () => listPage([bookingRow({ id: 11, slot_id: 1, slot_starts_at: started.starts_at, vacancy_title: "Курьер" })]),
      "POST /api/bookings/11/attendance": () => ({}),
    });
    renderWithProviders(<MyInterviewsRoute />, { zone: TZ, lang: "ru" });
    const cards = await screen.findAllByTestId("my-interview");
    expect(cards).toHaveLength(2);
    expect(cards[0]).toHaveTextContent(/00:05–00:50онлайн · Курьер1 из 1Anna Petrova@annaактивна/);
    expect(cards[1]).toHaveTextContent("Пока никто не записан");
    expect(within(cards[0]!).getByRole("link", { name: "Карточка кандидата: Anna Petrova" })).toHaveAttribute("href", "/candidates/5");
    // The week asked for is this week's, for this account.
    const monday = mondayOf(today);
    expect(queryOf(callsTo(calls, "GET /api/slots")[0])).toMatchObject({ from: localToIso(monday, "00:00", TZ), interviewer_id: "7" });
    await userEvent.click(within(cards[0]!).getByRole("button", { name: "Пришёл" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/bookings/11/attendance")[0]?.body).toEqual({ status: "attended" }));
    // An interviewer cannot cancel: no such button.
    expect(within(cards[0]!).queryByRole("button", { name: "Отменить запись" })).toBeNull();
  });

  it("with nothing this week, says so and opens the calendar", async () => {
    mockApi({
      "GET /api/auth/me": () => me({ id: 7, role: "interviewer" }),
      "GET /api/slots": () => ({ items: [], next: null }),
      "GET /api/bookings": () => listPage([]),
    });
    renderWithProviders(<MyInterviewsRoute />, { zone: TZ, lang: "ru" });
    expect(await screen.findByText(/На этой неделе и в ближайшие дни у вас собеседований нет/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Открыть календарь" }));
    expect(currentPath()).toBe("/slots");
  });
});
