import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { addDays, mondayOf, todayIn } from "@/lib/time";
import { broadcast, counts, funnel, listPage, stats, waitlistStats } from "@/testing/fixtures";
import { apiError, callsTo, currentPath, mockApi, queryOf, renderWithProviders } from "@/testing/render";
import { DashboardRoute } from "./dashboard";

describe("DashboardRoute", () => {
  it("shows this week's and the next three weeks' figures and the latest five broadcasts", async () => {
    const calls = mockApi({ "GET /api/stats": () => stats(), "GET /api/broadcasts": () => listPage([broadcast()]), "GET /api/waitlist/stats": () => waitlistStats(), "GET /api/funnel": () => funnel() });
    renderWithProviders(<DashboardRoute />);
    expect(await screen.findByText("Interviews today")).toBeInTheDocument();
    expect(screen.getByText("Fill rate").nextSibling).toHaveTextContent("50%");
    expect(screen.getByText("No-show rate").nextSibling).toHaveTextContent("25%");
    const monday = mondayOf(todayIn("Europe/Moscow"));
    expect(queryOf(callsTo(calls, "GET /api/stats")[0])).toEqual({ from: monday, to: addDays(monday, 27) });
    const latest = await screen.findByRole("table", { name: "Latest broadcasts" });
    expect(within(latest).getByRole("link", { name: "Hello there" })).toHaveAttribute("href", "/broadcasts/7");
    expect(queryOf(callsTo(calls, "GET /api/broadcasts")[0])).toEqual({ limit: "5", offset: "0" });
  });

  it("without broadcasts, offers to write one", async () => {
    mockApi({ "GET /api/stats": () => stats(), "GET /api/broadcasts": () => listPage([]), "GET /api/waitlist/stats": () => waitlistStats(), "GET /api/funnel": () => funnel() });
    renderWithProviders(<DashboardRoute />);
    expect(await screen.findByText("No broadcasts yet.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "New broadcast" }));
    expect(currentPath()).toBe("/broadcasts");
  });

  it("without bookings in the range, says to open slots instead of an empty chart", async () => {
    mockApi({ "GET /api/stats": () => stats({ bookings_per_day: { "2099-03-02": 0, "2099-03-03": 0 } }), "GET /api/broadcasts": () => listPage([]), "GET /api/waitlist/stats": () => waitlistStats(), "GET /api/funnel": () => funnel() });
    renderWithProviders(<DashboardRoute />);
    expect(await screen.findByText(/^No bookings in these weeks/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Go to slots" }));
    expect(currentPath()).toBe("/slots");
  });

  it("shows an error of the figures and retries", async () => {
    let fail = true;
    const calls = mockApi({ "GET /api/stats": () => (fail ? apiError(503, "stats unavailable") : stats()), "GET /api/broadcasts": () => listPage([]), "GET /api/waitlist/stats": () => waitlistStats(), "GET /api/funnel": () => funnel() });
    renderWithProviders(<DashboardRoute />);
    expect(await screen.findByRole("alert")).toHaveTextContent("stats unavailable");
    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Interviews today")).toBeInTheDocument();
    await waitFor(() => expect(callsTo(calls, "GET /api/stats")).toHaveLength(2));
  });

  it("shows the funnel per vacancy with each step's share, and the sources with their conversion", async () => {
    const calls = mockApi({
      "GET /api/stats": () => stats(),
      "GET /api/broadcasts": () => listPage([]), "GET /api/waitlist/stats": () => waitlistStats(),
      "GET /api/funnel": () =>
        funnel({
          vacancies: [{ vacancy_id: 3, vacancy_title: "Курьер", ...counts({ opened: 4, answered: 3, booked: 2, attended: 1, no_show: 1 }) }],
          sources: [
            { vacancy_id: 3, vacancy_title: "Курьер", link_id: 11, label: "hh.ru", kind: "source", ...counts({ opened: 3, answered: 3, booked: 2, attended: 1, no_show: 1 }) },
            { vacancy_id: 3, vacancy_title: "Курьер", link_id: null, label: null, kind: null, ...counts({ opened: 1 }) },
          ],
        }),
    });
    renderWithProviders(<DashboardRoute />, { lang: "ru" });
    const card = await screen.findByTestId("vacancy-funnel");
    expect(within(card).getByText("Курьер")).toBeInTheDocument();
    const rows = within(within(card).getByRole("list", { name: "Курьер" })).getAllByRole("listitem").map((r) => r.textContent);
    expect(rows).toEqual(["Открыли4", "Ответили375% от предыдущего шага", "Записались267% от предыдущего шага", "Пришли150% от предыдущего шага", "Не пришли1", "Отменили0"]);
    const sources = within(screen.getByRole("table", { name: "По источникам" })).getAllByRole("row");
    expect(sources[1]).toHaveTextContent(/^hh\.ruКурьер33100%267%150%150%00%67%$/);
    expect(sources[2]).toHaveTextContent(/^Без ссылки \(в боте\)/);
    expect(sources[2]).toHaveTextContent(/0%$/);
    // The CSV follows the period and the language.
    const csv = screen.getByRole("link", { name: "Скачать CSV" });
    const url = new URL(csv.getAttribute("href")!);
    expect(url.pathname).toBe("/api/export/funnel.csv");
    expect(url.searchParams.get("lang")).toBe("ru");
    expect(url.searchParams.get("from")).toBe(queryOf(callsTo(calls, "GET /api/funnel")[0]).from);
  });

  it("with nobody in the funnel, offers to create an invitation", async () => {
    mockApi({ "GET /api/stats": () => stats(), "GET /api/broadcasts": () => listPage([]), "GET /api/waitlist/stats": () => waitlistStats(), "GET /api/funnel": () => funnel() });
    renderWithProviders(<DashboardRoute />, { lang: "ru" });
    expect(await screen.findByText(/^За этот период никто не приходил/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Создать приглашение" }));
    expect(currentPath()).toBe("/invitations");
  });

  it("shows the waitlist card: who waits per vacancy, seats refilled, offers, confirmations and no-shows by week", async () => {
    mockApi({ "GET /api/stats": () => stats(), "GET /api/broadcasts": () => listPage([]), "GET /api/funnel": () => funnel(), "GET /api/waitlist/stats": () => waitlistStats() });
    renderWithProviders(<DashboardRoute />, { lang: "ru" });
    const card = await screen.findByTestId("waitlist-stats");
    expect(await within(card).findByText("Заполнено из листа ожидания: 3")).toBeInTheDocument();
    expect(within(card).getByText("Курьер").nextSibling).toHaveTextContent("2");
    expect(within(card).getByText("Любая").nextSibling).toHaveTextContent("1");
    expect(within(card).getByText("Приняли").nextSibling).toHaveTextContent("3");
    expect(within(card).getByText("Отказались").nextSibling).toHaveTextContent("1");
    expect(within(card).getByText("Истекли").nextSibling).toHaveTextContent("2");
    expect(within(card).getByText("Подтвердили участие: 80%")).toBeInTheDocument();
    expect(within(card).getByText("4 из 5 спрошенных")).toBeInTheDocument();
    const weeks = within(within(card).getByRole("table", { name: "Неявки по неделям" })).getAllByRole("row");
    expect(weeks[1]).toHaveTextContent(/^23\.02\.20993125%$/);
    expect(weeks[2]).toHaveTextContent(/^02\.03\.209900—$/);
  });

  it("with nobody waiting and nobody asked, says so in the waitlist card", async () => {
    mockApi({
      "GET /api/stats": () => stats(),
      "GET /api/broadcasts": () => listPage([]),
      "GET /api/funnel": () => funnel(),
      "GET /api/waitlist/stats": () =>
        waitlistStats({ waiting_by_vacancy: [], refilled: 0, offers: { held: 0, accepted: 0, declined: 0, expired: 0, withdrawn: 0 }, confirmation: { asked: 0, confirmed: 0, rate: null }, no_show_by_week: [] }),
    });
    renderWithProviders(<DashboardRoute />, { lang: "ru" });
    const card = await screen.findByTestId("waitlist-stats");
    expect(await within(card).findByText("Сейчас никто не ждёт.")).toBeInTheDocument();
    expect(within(card).getByText("Заполнено из листа ожидания: 0")).toBeInTheDocument();
    expect(within(card).getByText("Подтвердили участие: ещё никого не спрашивали")).toBeInTheDocument();
    expect(within(card).getByText(/^За последние 8 недель явку на собеседования ещё не отмечали/)).toBeInTheDocument();
    expect(within(card).queryByRole("table")).toBeNull();
  });
});
