import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { callsTo, mockApi, renderWithProviders } from "@/testing/render";
import { MyCalendar } from "./my-calendar";

describe("MyCalendar", () => {
  it("creates a feed and shows its address once, with a copy button and how to subscribe", async () => {
    let active = false;
    const calls = mockApi({
      "GET /api/me/calendar-feed": () => (active ? { active, created_at: "2099-03-01T07:00:00Z" } : { active }),
      "POST /api/me/calendar-feed": () => {
        active = true;
        return { path: "/calendar/feedtoken123.ics", created_at: "2099-03-01T07:00:00Z" };
      },
    });
    renderWithProviders(<MyCalendar />, { lang: "ru" });
    expect(await screen.findByText(/Ссылки пока нет/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Создать ссылку" }));
    expect(await screen.findByTestId("calendar-feed-url")).toHaveTextContent(`${window.location.origin}/calendar/feedtoken123.ics`);
    expect(screen.getByRole("button", { name: "Скопировать ссылку" })).toBeInTheDocument();
    expect(screen.getByText(/Google Calendar: Другие календари → Добавить по URL; Outlook: Добавить календарь → Подписаться из Интернета/)).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/me/calendar-feed")).toHaveLength(1);
    await waitFor(() => expect(screen.getByRole("button", { name: "Отозвать ссылку" })).toBeInTheDocument());
  });

  it("an active feed: a new link and revoking are confirmed, naming both choices", async () => {
    let active = true;
    const calls = mockApi({
      "GET /api/me/calendar-feed": () => (active ? { active, created_at: "2099-03-01T07:00:00Z" } : { active }),
      "DELETE /api/me/calendar-feed": () => {
        active = false;
        return { status: 204 };
      },
    });
    renderWithProviders(<MyCalendar />, { lang: "ru" });
    expect(await screen.findByText("Ссылка действует с 01.03.2099 10:00.")).toBeInTheDocument();
    expect(screen.queryByTestId("calendar-feed-url")).toBeNull();

    await userEvent.click(screen.getByRole("button", { name: "Выпустить новую ссылку" }));
    const renew = await screen.findByRole("dialog", { name: "Выпустить новую ссылку?" });
    await userEvent.click(within(renew).getByRole("button", { name: "Оставить прежнюю" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    await userEvent.click(screen.getByRole("button", { name: "Отозвать ссылку" }));
    const revoke = await screen.findByRole("dialog", { name: "Отозвать ссылку на календарь?" });
    expect(within(revoke).getByRole("button", { name: "Не отзывать" })).toBeInTheDocument();
    await userEvent.click(within(revoke).getByRole("button", { name: "Отозвать ссылку" }));
    await waitFor(() => expect(callsTo(calls, "DELETE /api/me/calendar-feed")).toHaveLength(1));
    expect(await screen.findByText(/Ссылки пока нет/)).toBeInTheDocument();
  });
});
