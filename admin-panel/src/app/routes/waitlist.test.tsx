import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { addDays, localToIso, todayIn } from "@/lib/time";
import { approval, calendarSlot, vacancy, waitlistEntry } from "@/testing/fixtures";
import { callsTo, mockApi, mockPhoneWidth, queryOf, renderWithProviders, type Handler } from "@/testing/render";
import { WaitlistRoute } from "./waitlist";

const TZ = "Europe/Moscow";
const inDays = (n: number, time: string) => localToIso(addDays(todayIn(TZ), n), time, TZ);

const anna = waitlistEntry();
const boris = waitlistEntry({
  id: 22,
  candidate_id: 6,
  candidate_name: "Boris Ivanov",
  username: null,
  vacancy_id: null,
  vacancy_title: null,
  days: [],
  parts: [],
  position: 1,
  offer: { id: 41, slot_id: 9, slot_starts_at: "2099-12-12T12:00:00Z", expires_at: "2099-12-12T11:37:00Z", by_admin: false },
});

/** The options of the offer's time select (the vacancy filter has options too). */
const slotOptions = async () => (await screen.findAllByRole("option", { name: /свободно мест/, hidden: true }));

const base: Record<string, Handler> = {
  "GET /api/vacancies": () => [vacancy({ id: 3, title: "Курьер" })],
  "GET /api/waitlist": () => [anna, boris],
  "GET /api/approvals": () => [],
};

describe("WaitlistRoute", () => {
  it("lists the waiting candidates in Russian: position, name, vacancy, preferences, since when, the current offer", async () => {
    mockApi(base);
    renderWithProviders(<WaitlistRoute />, { lang: "ru", zone: TZ });
    const table = await screen.findByRole("table", { name: "Лист ожидания" });
    const rows = within(table).getAllByRole("row");
    expect(rows[1]).toHaveTextContent(/^1Anna Petrova @annaКурьерПн, Ср · утро, вечер01\.03\.2099 10:30—/);
    expect(within(rows[1]!).getByRole("link", { name: "Anna Petrova" })).toHaveAttribute("href", "/candidates/5");
    expect(rows[2]).toHaveTextContent(/^1Boris IvanovЛюбаяЛюбое время/);
    expect(rows[2]).toHaveTextContent("Предложено: 12.12 15:00, ждём ответа до 14:37");
    // An offer waiting for an answer: no second one.
    expect(within(rows[2]!).getByRole("button", { name: /Предложить время/ })).toBeDisabled();
    expect(within(rows[1]!).getByRole("button", { name: /Предложить время/ })).toBeEnabled();
  });

  it("filters by vacancy and by day", async () => {
    const calls = mockApi(base);
    renderWithProviders(<WaitlistRoute />, { lang: "ru", zone: TZ });
    await screen.findByRole("table", { name: "Лист ожидания" });
    expect(queryOf(callsTo(calls, "GET /api/waitlist")[0])).toEqual({});
    await userEvent.click(screen.getByRole("textbox", { name: "Вакансия" }));
    await userEvent.click(await screen.findByRole("option", { name: "Курьер", hidden: true }));
    await waitFor(() => expect(queryOf(callsTo(calls, "GET /api/waitlist").at(-1))).toEqual({ vacancy_id: "3" }));
    fireEvent.change(screen.getByLabelText("День"), { target: { value: "07.12.2099" } });
    await waitFor(() => expect(queryOf(callsTo(calls, "GET /api/waitlist").at(-1))).toEqual({ vacancy_id: "3", day: "2099-12-07" }));
  });

  it("when empty, explains how candidates get on the list", async () => {
    mockApi({ ...base, "GET /api/waitlist": () => [] });
    renderWithProviders(<WaitlistRoute />, { lang: "ru", zone: TZ });
    expect(await screen.findByText(/^Лист ожидания пуст\. Кандидаты попадают сюда, когда в боте нет подходящего времени/)).toBeInTheDocument();
  });

  it("offers a time with a free seat for the candidate's vacancy and sends it", async () => {
    const free = calendarSlot({ id: 7, starts_at: inDays(2, "15:00"), vacancy_id: 3, capacity: 2, booked: 1 });
    const calls = mockApi({
      ...base,
      "GET /api/slots": () => ({
        items: [
          free,
          calendarSlot({ id: 8, starts_at: inDays(3, "10:00"), capacity: 1, booked: 0, held: 1 }),
          calendarSlot({ id: 9, starts_at: inDays(3, "11:00"), vacancy_id: 4 }),
          calendarSlot({ id: 10, starts_at: inDays(4, "11:00"), status: "cancelled" }),
          calendarSlot({ id: 11, starts_at: inDays(5, "12:00"), capacity: 3, booked: 1, held: 1 }),
        ],
        next: null,
      }),
      "POST /api/waitlist/21/offer": () => ({ status: 201, body: { id: 50, entry_id: 21, candidate_id: 5, slot_id: 7, status: "held", created_at: inDays(0, "10:00"), expires_at: inDays(0, "10:15") } }),
    });
    renderWithProviders(<WaitlistRoute />, { lang: "ru", zone: TZ });
    await userEvent.click(await screen.findByRole("button", { name: "Предложить время: Anna Petrova" }));
    const dialog = await screen.findByRole("dialog", { name: "Предложить время: Anna Petrova" });
    await userEvent.click(await within(dialog).findByRole("textbox", { name: "Время" }));
    const options = (await slotOptions()).map((o) => o.textContent);
    // Held, full, cancelled and other vacancies' times are not offered.
    expect(options).toHaveLength(2);
    expect(options[0]).toMatch(/15:00 · онлайн · свободно мест: 1$/);
    expect(options[1]).toMatch(/12:00 · онлайн · свободно мест: 1$/);
    await userEvent.click((await slotOptions())[0]!);
    await userEvent.click(within(dialog).getByRole("button", { name: "Отправить предложение" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/waitlist/21/offer")).toHaveLength(1));
    expect(callsTo(calls, "POST /api/waitlist/21/offer")[0]!.body).toEqual({ slot_id: 7 });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it.each([
    ["booking_limit_reached", "У кандидата уже есть максимальное число записей."],
    ["offer_pending", "Кандидату уже отправлено предложение, он ещё не ответил."],
    ["approval_required", "Кандидат несколько раз не пришёл на собеседование: сначала разрешите ему запись"],
    ["slot_full", "В слоте не осталось свободных мест."],
  ])("shows the server's refusal of an offer (%s) in Russian", async (code, text) => {
    mockApi({
      ...base,
      "GET /api/slots": () => ({ items: [calendarSlot({ id: 7, starts_at: inDays(2, "15:00") })], next: null }),
      "POST /api/waitlist/21/offer": () => ({ status: 409, body: { error: { code, message: "refused" } } }),
    });
    renderWithProviders(<WaitlistRoute />, { lang: "ru", zone: TZ });
    await userEvent.click(await screen.findByRole("button", { name: "Предложить время: Anna Petrova" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.click(await within(dialog).findByRole("textbox", { name: "Время" }));
    await userEvent.click((await slotOptions())[0]!);
    await userEvent.click(within(dialog).getByRole("button", { name: "Отправить предложение" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(text);
  });

  it("without a free time, says to open slots", async () => {
    mockApi({ ...base, "GET /api/slots": () => ({ items: [calendarSlot({ starts_at: inDays(2, "15:00"), booked: 1 })], next: null }) });
    renderWithProviders(<WaitlistRoute />, { lang: "ru", zone: TZ });
    await userEvent.click(await screen.findByRole("button", { name: "Предложить время: Anna Petrova" }));
    expect(await screen.findByText(/^В ближайшие недели нет времени со свободным местом/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Отправить предложение" })).toBeDisabled();
  });

  it("removes a candidate from the list after asking", async () => {
    const calls = mockApi({ ...base, "DELETE /api/waitlist/21": () => ({ status: 204 }) });
    renderWithProviders(<WaitlistRoute />, { lang: "ru", zone: TZ });
    await userEvent.click(await screen.findByRole("button", { name: "Убрать из листа: Anna Petrova" }));
    const dialog = await screen.findByRole("dialog", { name: "Убрать Anna Petrova из листа ожидания?" });
    expect(callsTo(calls, "DELETE /api/waitlist/21")).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole("button", { name: "Убрать из листа" }));
    await waitFor(() => expect(callsTo(calls, "DELETE /api/waitlist/21")).toHaveLength(1));
    await waitFor(() => expect(callsTo(calls, "GET /api/waitlist").length).toBeGreaterThan(1));
  });

  it("on a phone, shows one card per candidate", async () => {
    mockPhoneWidth();
    mockApi(base);
    renderWithProviders(<WaitlistRoute />, { lang: "ru", zone: TZ });
    const list = await screen.findByRole("list", { name: "Лист ожидания" });
    const cards = within(list).getAllByRole("listitem");
    expect(cards).toHaveLength(2);
    expect(cards[0]).toHaveTextContent("Когда удобноПн, Ср · утро, вечер");
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("lists the requests to book after no-shows and decides them", async () => {
    const waiting = approval();
    const calls = mockApi({
      ...base,
      "GET /api/approvals": (req) => (new URL(req.url).searchParams.get("status") === "requested" ? [waiting] : [waiting, approval({ id: 32, candidate_name: "Vera Smirnova", username: null, status: "refused", no_shows: 3, decided_at: "2099-03-01T10:00:00Z", decided_by_name: "Ольга" })]),
      "POST /api/approvals/31/approve": () => ({ ...waiting, status: "approved" }),
      "POST /api/approvals/31/refuse": () => ({ status: 409, body: { error: { code: "approval_decided", message: "decided" } } }),
    });
    renderWithProviders(<WaitlistRoute />, { lang: "ru", zone: TZ });
    await userEvent.click(await screen.findByRole("tab", { name: "Запросы на запись (1)" }));
    const table = await screen.findByRole("table", { name: "Запросы на запись" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent(/^Boris Ivanov @borisНе пришёл: 201\.03\.2099 12:15ждёт решения/);

    await userEvent.click(within(row).getByRole("button", { name: "Отказать" }));
    const dialog = await screen.findByRole("dialog", { name: "Отказать Boris Ivanov?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Отказать" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("По этому запросу уже приняли решение");
    await userEvent.click(within(dialog).getByRole("button", { name: "Не отказывать" }));

    await userEvent.click(within(row).getByRole("button", { name: "Разрешить запись" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/approvals/31/approve")).toHaveLength(1));

    await userEvent.click(screen.getByRole("radio", { name: "Все" }));
    const all = await screen.findByText("Vera Smirnova");
    const decided = all.closest("tr")!;
    expect(decided).toHaveTextContent("отказаноОльга, 01.03.2099 13:00");
    expect(within(decided).queryByRole("button")).toBeNull();
  });
});
