import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Schemas } from "@/lib/api-client";
import { addDays, formatYmd, localToIso, mondayOf, startOfLocalDay, todayIn } from "@/lib/time";
import { bookingRow, me, vacancy } from "@/testing/fixtures";
import { callsTo, mockApi, queryOf, renderWithProviders } from "@/testing/render";
import { SlotsRoute } from "./slots";

const TZ = "Europe/Moscow";
const monday = mondayOf(todayIn(TZ));
const slot = (over: Partial<Schemas["CalendarSlot"]> = {}): Schemas["CalendarSlot"] => ({
  id: 3,
  starts_at: localToIso(addDays(monday, 1), "10:00", TZ),
  duration_minutes: 60,
  capacity: 1,
  booked: 1,
  held: 0,
  format: "online",
  status: "open",
  ...over,
});
const page = (items: Schemas["CalendarSlot"][], next: string | null = null): Schemas["SlotPage"] => ({ items, next });
const detail = { ...slot(), notes: "Bring the portfolio", created_at: "2000-01-01T00:00:00Z", updated_at: "2000-01-01T00:00:00Z", interviewers: [] };

describe("SlotsRoute", () => {
  it("asks for the shown week, and for the next one after →", async () => {
    const calls = mockApi({ "GET /api/slots": () => page([slot()]) });
    renderWithProviders(<SlotsRoute />, { zone: TZ });
    await screen.findByRole("button", { name: /10:00/ });
    expect(queryOf(callsTo(calls, "GET /api/slots")[0])).toEqual({ from: startOfLocalDay(monday, TZ), to: startOfLocalDay(addDays(monday, 7), TZ) });
    await userEvent.click(screen.getByRole("button", { name: "Next week" }));
    await waitFor(() => expect(queryOf(callsTo(calls, "GET /api/slots").at(-1)).from).toBe(startOfLocalDay(addDays(monday, 7), TZ)));
  });

  it("names the server's zone for people, never by its IANA id", async () => {
    mockApi({ "GET /api/slots": () => page([]) });
    const { unmount } = renderWithProviders(<SlotsRoute />, { zone: TZ });
    expect(await screen.findByText(/\(Moscow time\)/)).toBeInTheDocument();
    unmount();
    renderWithProviders(<SlotsRoute />, { zone: "Asia/Yekaterinburg", lang: "ru" });
    expect(await screen.findByText(/\(Екатеринбург, UTC\+5\)/)).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/Asia\/|Europe\//);
  });

  it("lists the week's slots in the list view", async () => {
    mockApi({ "GET /api/slots": () => page([slot({ location: "Room 1", format: "offline" })]) });
    renderWithProviders(<SlotsRoute />, { zone: TZ });
    await userEvent.click(await screen.findByText("List"));
    const table = await screen.findByRole("table", { name: "Slots" });
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent("601 of 1in the office · Room 1Any vacancyfull");
  });

  it("says a slot with every place taken is full, not open", async () => {
    mockApi({
      "GET /api/slots": () =>
        page([
          slot({ id: 3, capacity: 2, booked: 1 }),
          slot({ id: 4, capacity: 2, booked: 2, starts_at: localToIso(addDays(monday, 2), "11:00", TZ) }),
        ]),
    });
    renderWithProviders(<SlotsRoute />, { zone: TZ, lang: "ru" });
    await userEvent.click(await screen.findByText("Список"));
    const rows = within(await screen.findByRole("table", { name: "Слоты" })).getAllByRole("row");
    expect(rows[1]).toHaveTextContent(/1 из 2.*открыт$/);
    expect(rows[2]).toHaveTextContent(/2 из 2.*заполнен$/);
    expect(rows[2]).not.toHaveTextContent("открыт");
  });

  it("names each slot's format in the reader's language, keeping the recruiter's own words", async () => {
    mockApi({
      "GET /api/slots": () =>
        page([
          slot({ id: 3, format: "online" }),
          slot({ id: 4, format: "phone", starts_at: localToIso(addDays(monday, 2), "11:00", TZ) }),
          slot({ id: 5, format: "Zoom или офис", location: "Тверская, 1", starts_at: localToIso(addDays(monday, 3), "12:00", TZ) }),
        ]),
    });
    renderWithProviders(<SlotsRoute />, { zone: TZ, lang: "ru" });
    await userEvent.click(await screen.findByText("Список"));
    const rows = within(await screen.findByRole("table", { name: "Слоты" })).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("онлайн");
    expect(rows[2]).toHaveTextContent("по телефону");
    expect(rows[3]).toHaveTextContent("Zoom или офис · Тверская, 1");
    expect(within(rows[1]!).queryByText(/online/)).toBeNull();
  });

  it("an empty week offers to generate slots", async () => {
    mockApi({ "GET /api/slots": () => page([]), "POST /api/slots/bulk": () => ({ dry_run: true, created: [], skipped: [] }) });
    renderWithProviders(<SlotsRoute />, { zone: TZ });
    expect(await screen.findByText("No slots this week")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Generate slots" }));
    expect(await screen.findByRole("dialog", { name: "Generate slots" })).toBeInTheDocument();
  });

  it("after a bulk generation, opens the calendar on the week of the first slot created", async () => {
    const firstDay = addDays(monday, 23); // a Wednesday, three weeks on
    const created = [
      { ...detail, id: 9, starts_at: localToIso(addDays(firstDay, 1), "10:00", TZ) },
      { ...detail, id: 8, starts_at: localToIso(firstDay, "10:00", TZ) },
    ];
    const calls = mockApi({
      "GET /api/slots": () => page([]),
      "POST /api/slots/bulk": (_req, body) => ({ dry_run: (body as { dry_run: boolean }).dry_run, created, skipped: [] }),
    });
    renderWithProviders(<SlotsRoute />, { zone: TZ });
    await userEvent.click(await screen.findByRole("button", { name: "Generate" }));
    const dialog = await screen.findByRole("dialog", { name: "Generate slots" });
    await userEvent.click(await within(dialog).findByRole("button", { name: "Create 2" }, { timeout: 3000 }));
    const shown = addDays(monday, 21);
    await waitFor(() => expect(queryOf(callsTo(calls, "GET /api/slots").at(-1))).toEqual({ from: startOfLocalDay(shown, TZ), to: startOfLocalDay(addDays(shown, 7), TZ) }));
    expect(await screen.findByText(new RegExp(`${formatYmd(shown).slice(0, 5)} – ${formatYmd(addDays(shown, 6))}`))).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Generate slots" })).not.toBeInTheDocument());
  });

  it("cancelling a slot names who is booked, then refetches the slots", async () => {
    let cancelled = false;
    const calls = mockApi({
      "GET /api/slots": () => page([slot(cancelled ? { status: "cancelled", booked: 0 } : {})]),
      "GET /api/slots/3": () => ({ ...detail, bookings: [bookingRow()] }),
      "POST /api/slots/3/cancel": () => {
        cancelled = true;
        return { cancelled_bookings: [], deleted_row: false };
      },
    });
    renderWithProviders(<SlotsRoute />, { zone: TZ });
    await userEvent.click(await screen.findByText("List"));
    await userEvent.click(await screen.findByRole("button", { name: /10:00/ }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Cancel slot" }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel slot" });
    expect(await within(dialog).findByText(/Anna Petrova/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel slot" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/slots/3/cancel")).toHaveLength(1));
    await waitFor(() => expect(callsTo(calls, "GET /api/slots")).toHaveLength(2));
    expect(await within(screen.getByRole("table")).findByText("cancelled")).toBeInTheDocument();
  });

  it("follows the pages of a busy week to the last one", async () => {
    const calls = mockApi({
      "GET /api/slots": (req) =>
        new URL(req.url).searchParams.get("after") === "c1"
          ? page([slot({ id: 4, starts_at: localToIso(addDays(monday, 2), "12:00", TZ) })])
          : page([slot()], "c1"),
    });
    renderWithProviders(<SlotsRoute />, { zone: TZ });
    await screen.findByRole("button", { name: /12:00/ });
    expect(screen.getByRole("button", { name: /10:00/ })).toBeInTheDocument();
    expect(callsTo(calls, "GET /api/slots").map((c) => queryOf(c).after)).toEqual([undefined, "c1"]);
  });

  it("editing a slot fetches it whole, notes included", async () => {
    const calls = mockApi({ "GET /api/slots": () => page([slot()]), "GET /api/slots/3": () => ({ ...detail, bookings: [] }) });
    renderWithProviders(<SlotsRoute />, { zone: TZ });
    await userEvent.click(await screen.findByRole("button", { name: /10:00/ }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Edit" }));
    // The form waits for the slot's detail: give a busy machine more than findBy's default second.
    const dialog = await screen.findByRole("dialog", { name: "Edit" }, { timeout: 5000 });
    expect(await within(dialog).findByDisplayValue("Bring the portfolio", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(callsTo(calls, "GET /api/slots/3")).toHaveLength(1);
  });

  it("an interviewer's calendar is read-only: no create or bulk, a slot opens its details with the interviewers", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => me({ id: 7, role: "interviewer" }),
      "GET /api/slots": () => page([slot({ vacancy_id: 3 })]),
      "GET /api/slots/3": () => ({ ...detail, vacancy_id: 3, capacity: 2, held: 1, bookings: [bookingRow({ vacancy_title: "Курьер" })], interviewers: [{ id: 7, name: "Ирина" }, { id: 8, name: "Олег" }] }),
    });
    renderWithProviders(<SlotsRoute />, { zone: TZ, lang: "ru" });
    // (In the app the account is known before any page shows; here it loads first.)
    await waitFor(() => expect(screen.queryByRole("button", { name: "Новый слот" })).toBeNull());
    await userEvent.click(await screen.findByRole("button", { name: /10:00/ }));
    const details = await screen.findByRole("menuitem", { name: "Подробнее" });
    expect(screen.queryByRole("menuitem", { name: "Изменить" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Сгенерировать" })).toBeNull();
    expect(screen.queryByRole("textbox", { name: "Интервьюер" })).toBeNull();
    await userEvent.click(details);
    const dialog = await screen.findByRole("dialog", { name: "Слот" });
    expect(await within(dialog).findByTestId("slot-interviewers")).toHaveTextContent("Интервьюеры: Ирина, Олег");
    expect(dialog).toHaveTextContent("Вакансия: Курьер");
    // A seat held by a waitlist offer says so.
    expect(within(dialog).getByTestId("slot-held")).toHaveTextContent("Придержано для листа ожидания: 1");
    expect(within(dialog).getByRole("link", { name: "Anna Petrova" })).toHaveAttribute("href", "/candidates/5");
    // An interviewer may not list vacancies: the page does not ask.
    expect(callsTo(calls, "GET /api/vacancies")).toHaveLength(0);
  });

  it("a recruiter filters the week by interviewer, and the calendar names a slot's vacancy", async () => {
    const calls = mockApi({
      "GET /api/auth/me": () => me({ role: "recruiter" }),
      "GET /api/slots": () => page([slot({ vacancy_id: 3 })]),
      "GET /api/vacancies": () => [vacancy({ id: 3, title: "Курьер" })],
      "GET /api/interviewers": () => [{ id: 7, name: "Ирина Смирнова" }],
    });
    renderWithProviders(<SlotsRoute />, { zone: TZ, lang: "ru" });
    expect(await screen.findByText("Курьер")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("textbox", { name: "Интервьюер" }));
    await userEvent.click(await screen.findByRole("option", { name: "Ирина Смирнова", hidden: true }));
    await waitFor(() => expect(queryOf(callsTo(calls, "GET /api/slots").at(-1))).toMatchObject({ interviewer_id: "7" }));
  });
});
