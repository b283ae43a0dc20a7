import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { callsTo, mockApi, renderWithProviders } from "@/testing/render";
import { MyTelegramCard } from "./my-telegram-card";

describe("MyTelegramCard", () => {
  it("links a team member's Telegram by a one-time link, and notices when the bot has linked it", async () => {
    let linked = false;
    mockApi({
      "GET /api/me/telegram": () => ({ linked: linked ? { candidate_id: 17, first_name: "Ирина", username: "irina_tg" } : null, bot_username: "hire_bot" }),
      "POST /api/me/telegram/link": () => ({ url: "https://t.me/hire_bot?start=adm_x", expires_at: "2099-01-01T10:15:00Z" }),
    });
    renderWithProviders(<MyTelegramCard />, { lang: "ru" });
    expect(await screen.findByText(/Telegram не связан/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Связать Telegram" }));
    const dialog = await screen.findByRole("dialog", { name: "Связать Telegram" });
    expect(within(dialog).getByText(/утреннюю повестку/)).toBeInTheDocument();
    expect(await within(dialog).findByRole("link", { name: "Открыть в Telegram" })).toHaveAttribute("href", "https://t.me/hire_bot?start=adm_x");
    linked = true;
    expect(await screen.findByText("Связан: @irina_tg", {}, { timeout: 4000 })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("unlinking is confirmed, naming both choices", async () => {
    let linked = true;
    const calls = mockApi({
      "GET /api/me/telegram": () => ({ linked: linked ? { candidate_id: 17, first_name: "Ирина", last_name: "С." } : null, bot_username: "hire_bot" }),
      "DELETE /api/me/telegram": () => {
        linked = false;
        return { status: 204 };
      },
    });
    renderWithProviders(<MyTelegramCard />, { lang: "ru" });
    await userEvent.click(await screen.findByRole("button", { name: "Отвязать" }));
    const dialog = await screen.findByRole("dialog", { name: "Отвязать Telegram?" });
    expect(within(dialog).getByRole("button", { name: "Оставить связанным" })).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Отвязать" }));
    await waitFor(() => expect(callsTo(calls, "DELETE /api/me/telegram")).toHaveLength(1));
    expect(await screen.findByText(/Telegram не связан/)).toBeInTheDocument();
  });
});
