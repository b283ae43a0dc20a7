import { notifications } from "@mantine/notifications";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { callsTo, mockApi, renderWithProviders } from "@/testing/render";
import { SendToMe } from "./my-telegram";

const URL = "https://t.me/hire_bot?start=adm_0123456789abcdef0123456789abcdef";

describe("SendToMe", () => {
  it("offers a one-time link, and once the bot has linked the account, sends tests to it", async () => {
    let linked = false;
    const calls = mockApi({
      "GET /api/me/telegram": () => ({
        linked: linked ? { candidate_id: 17, first_name: "Olga", last_name: null, username: "olga_hr" } : null,
        bot_username: "hire_bot",
      }),
      "POST /api/me/telegram/link": () => ({ url: URL, expires_at: "2030-01-01T10:15:00Z" }),
    });
    const onSend = vi.fn();
    const shown = vi.spyOn(notifications, "show");
    renderWithProviders(<SendToMe onSend={onSend} />);

    await userEvent.click(await screen.findByRole("button", { name: "Link my Telegram" }));
    const open = await screen.findByRole("link", { name: "Open in Telegram" });
    expect(open).toHaveAttribute("href", URL);
    expect(screen.getByText(/works once, until 13:15/)).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/me/telegram/link")).toHaveLength(1);

    // The admin pressed "Start" in the bot: the open dialog notices by itself.
    linked = true;
    const send = await screen.findByRole("button", { name: "Send to me (@olga_hr)" }, { timeout: 4000 });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(shown).toHaveBeenCalledWith(expect.objectContaining({ message: "Telegram linked: you can send tests to yourself." }));
    await userEvent.click(send);
    expect(onSend).toHaveBeenCalledWith(17);
  });

  it("says in words when the bot never started", async () => {
    mockApi({
      "GET /api/me/telegram": () => ({ linked: null, bot_username: null }),
      "POST /api/me/telegram/link": () => ({ status: 409, body: { error: { code: "bot_not_started", message: "the bot has not started yet" } } }),
    });
    renderWithProviders(<SendToMe onSend={() => {}} />);
    await userEvent.click(await screen.findByRole("button", { name: "Link my Telegram" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The bot has never started");
  });
});
