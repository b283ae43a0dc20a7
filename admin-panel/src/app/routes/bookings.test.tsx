import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { addDays, startOfLocalDay, todayIn } from "@/lib/time";
import { bookingRow, listPage, stats } from "@/testing/fixtures";
import { apiError, callsTo, currentPath, mockApi, queryOf, renderWithProviders } from "@/testing/render";
import { BookingsRoute } from "./bookings";

const TZ = "Europe/Moscow";
const lastBookingsQuery = (calls: Parameters<typeof callsTo>[0]) => queryOf(callsTo(calls, "GET /api/bookings").at(-1));

describe("BookingsRoute", () => {
  it("asks for the last week to four weeks ahead, 50 at a time, and lists the bookings", async () => {
    const calls = mockApi({ "GET /api/bookings": () => listPage([bookingRow()]) });
    renderWithProviders(<BookingsRoute />, { zone: TZ });
    const row = (await screen.findByRole("link", { name: "Anna Petrova" })).closest("tr")!;
    expect(row).toHaveTextContent("02.03.2099 10:00");
    expect(within(row).getByText("active")).toBeInTheDocument();
    const today = todayIn(TZ);
    expect(lastBookingsQuery(calls)).toEqual({
      from: startOfLocalDay(addDays(today, -7), TZ),
      to: startOfLocalDay(addDays(today, 29), TZ),
      limit: "50",
      offset: "0",
    });
  });

  it("sends the status, the search and the dates as filters, each back on the first page", async () => {
    const calls = mockApi({ "GET /api/bookings": () => listPage([bookingRow()], 120) });
    renderWithProviders(<BookingsRoute />, { zone: TZ });
    await userEvent.click(await screen.findByRole("button", { name: "Next page" }));
    await waitFor(() => expect(lastBookingsQuery(calls).offset).toBe("50"));

    await userEvent.click(screen.getByRole("textbox", { name: "Status" }));
    await userEvent.click(await screen.findByRole("option", { name: "no-show", hidden: true }));
    await waitFor(() => expect(lastBookingsQuery(calls)).toMatchObject({ status: "no_show", offset: "0" }));

    await userEvent.type(screen.getByLabelText("Search"), "  anna ");
    await waitFor(() => expect(lastBookingsQuery(calls)).toMatchObject({ status: "no_show", q: "anna", offset: "0" }));

    fireEvent.change(screen.getByLabelText("From (Moscow time)"), { target: { value: "01.03.2099" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "07.03.2099" } });
    await waitFor(() =>
      expect(lastBookingsQuery(calls)).toMatchObject({ from: "2099-02-28T21:00:00.000Z", to: "2099-03-07T21:00:00.000Z", q: "anna" }),
    );
  });

  it("asks nothing for a reversed date range and says why", async () => {
    const calls = mockApi({ "GET /api/bookings": () => listPage([]) });
    renderWithProviders(<BookingsRoute />, { zone: TZ });
    await screen.findByText(/No bookings between these dates/);
    fireEvent.change(screen.getByLabelText("From (Moscow time)"), { target: { value: "10.03.2099" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "01.03.2099" } });
    expect(await screen.findByText("The last day is before the first")).toBeInTheDocument();
    expect(callsTo(calls, "GET /api/bookings").filter((c) => queryOf(c).from?.startsWith("2099-03-09"))).toHaveLength(0);
  });

  it("when empty, says to widen the dates or open slots; with filters set, offers to clear them", async () => {
    const calls = mockApi({ "GET /api/bookings": () => listPage([]) });
    renderWithProviders(<BookingsRoute />, { zone: TZ });
    expect(await screen.findByText(/No bookings between these dates\. Widen the dates, or open new slots/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole("textbox", { name: "Status" }));
    await userEvent.click(await screen.findByRole("option", { name: "attended", hidden: true }));
    expect(await screen.findByText(/No bookings match these filters/)).toBeInTheDocument();
    const clear = screen.getAllByRole("button", { name: "Clear filters" });
    await userEvent.click(clear.at(-1)!);
    await waitFor(() => expect(lastBookingsQuery(calls).status).toBeUndefined());
    expect(screen.getByRole("textbox", { name: "Status" })).toHaveValue("");

    await userEvent.click(screen.getByRole("button", { name: "Go to slots" }));
    expect(currentPath()).toBe("/slots");
  });

  it("shows the server's error and retries", async () => {
    let fail = true;
    const calls = mockApi({ "GET /api/bookings": () => (fail ? apiError(500, "database is locked") : listPage([bookingRow()])) });
    renderWithProviders(<BookingsRoute />, { zone: TZ });
    expect(await screen.findByRole("alert")).toHaveTextContent("database is locked");
    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByRole("link", { name: "Anna Petrova" })).toBeInTheDocument();
    expect(callsTo(calls, "GET /api/bookings")).toHaveLength(2);
  });

  it("cancelling a booking sends the reason and refetches the bookings and the stats", async () => {
    let cancelled = false;
    const calls = mockApi({
      "GET /api/stats": () => stats(),
      "GET /api/bookings": () => listPage([bookingRow(cancelled ? { status: "cancelled_by_admin", cancel_reason: "Sick" } : {})]),
      "POST /api/bookings/1/cancel": () => {
        cancelled = true;
        return { id: 1 };
      },
    });
    // No fixed zone: the zone comes from /api/stats, as in the app, so the stats query is active.
    renderWithProviders(<BookingsRoute />, { zone: null });
    await userEvent.click(await screen.findByRole("button", { name: "Cancel booking" }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel the booking of Anna?" });
    // One clear wording: the way out says what it keeps, never "Cancel" beside "Cancel booking".
    expect(within(dialog).getByRole("button", { name: "Keep the booking" })).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Cancel" })).not.toBeInTheDocument();
    await userEvent.type(within(dialog).getByLabelText("Reason (optional)"), "Sick");
    const before = { bookings: callsTo(calls, "GET /api/bookings").length, stats: callsTo(calls, "GET /api/stats").length };
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel booking" }));

    await waitFor(() => expect(callsTo(calls, "POST /api/bookings/1/cancel")[0]?.body).toEqual({ reason: "Sick" }));
    await waitFor(() => expect(callsTo(calls, "GET /api/bookings").length).toBeGreaterThan(before.bookings));
    await waitFor(() => expect(callsTo(calls, "GET /api/stats").length).toBeGreaterThan(before.stats));
    expect(await within(screen.getByRole("table")).findByText("cancelled by admin")).toBeInTheDocument();
  });

  it("marking attendance refetches the bookings", async () => {
    let marked = false;
    const calls = mockApi({
      "GET /api/bookings": () => listPage([bookingRow({ slot_starts_at: "2000-01-03T07:00:00Z", status: marked ? "attended" : "active" })]),
      "POST /api/bookings/1/attendance": () => {
        marked = true;
        return { id: 1 };
      },
    });
    renderWithProviders(<BookingsRoute />, { zone: TZ });
    await userEvent.click(await screen.findByRole("button", { name: "Attended" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/bookings/1/attendance")[0]?.body).toEqual({ status: "attended" }));
    await waitFor(() => expect(callsTo(calls, "GET /api/bookings")).toHaveLength(2));
    expect(await within(screen.getByRole("table")).findByText("attended")).toBeInTheDocument();
  });

  it("a recruiter filters by interviewer, by name, back on the first page", async () => {
    const calls = mockApi({
      "GET /api/bookings": () => listPage([bookingRow()], 120),
      "GET /api/interviewers": () => [
        { id: 7, name: "Ирина Смирнова" },
        { id: 8, name: "Олег Ким" },
      ],
    });
    renderWithProviders(<BookingsRoute />, { zone: TZ, lang: "ru" });
    await userEvent.click(await screen.findByRole("button", { name: "Следующая страница" }));
    await waitFor(() => expect(lastBookingsQuery(calls).offset).toBe("50"));
    await userEvent.click(screen.getByRole("textbox", { name: "Интервьюер" }));
    await userEvent.click(await screen.findByRole("option", { name: "Олег Ким", hidden: true }));
    await waitFor(() => expect(lastBookingsQuery(calls)).toMatchObject({ interviewer_id: "8", offset: "0" }));
  });

  it("marks an active booking the candidate confirmed, and one still unconfirmed close to the interview", async () => {
    mockApi({
      "GET /api/bookings": () =>
        listPage([
          bookingRow({ id: 1, confirmed_at: "2099-03-01T08:00:00Z", unconfirmed: false }),
          bookingRow({ id: 2, candidate_id: 6, first_name: "Boris", last_name: "Ivanov", username: null, confirmed_at: null, unconfirmed: true }),
          bookingRow({ id: 3, candidate_id: 7, first_name: "Vera", last_name: "Smirnova", username: null, status: "attended", confirmed_at: "2099-03-01T08:00:00Z" }),
        ]),
    });
    renderWithProviders(<BookingsRoute />, { zone: TZ, lang: "ru" });
    const anna = (await screen.findByRole("link", { name: "Anna Petrova" })).closest("tr")!;
    expect(within(anna).getByText("Подтвердил")).toBeInTheDocument();
    expect(within(anna).queryByText("Не подтвердил")).toBeNull();
    const boris = screen.getByRole("link", { name: "Boris Ivanov" }).closest("tr")!;
    expect(within(boris).getByText("Не подтвердил")).toBeInTheDocument();
    // Only active bookings say it: after the interview it no longer matters.
    const vera = screen.getByRole("link", { name: "Vera Smirnova" }).closest("tr")!;
    expect(within(vera).queryByText("Подтвердил")).toBeNull();
  });

  it("a booking released for want of confirmation says so, not that an admin cancelled it", async () => {
    mockApi({
      "GET /api/bookings": () =>
        listPage([
          bookingRow({ id: 1, status: "cancelled_by_admin", cancelled_by: "system" }),
          bookingRow({ id: 2, candidate_id: 6, first_name: "Boris", last_name: "Ivanov", username: null, status: "cancelled_by_admin", cancelled_by: "admin" }),
        ]),
    });
    renderWithProviders(<BookingsRoute />, { zone: TZ, lang: "ru" });
    const anna = (await screen.findByRole("link", { name: "Anna Petrova" })).closest("tr")!;
    expect(within(anna).getByText("снята: нет подтверждения")).toBeInTheDocument();
    const boris = screen.getByRole("link", { name: "Boris Ivanov" }).closest("tr")!;
    expect(within(boris).getByText("отменена админом")).toBeInTheDocument();
  });
});
