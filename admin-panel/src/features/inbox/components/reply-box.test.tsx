import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/en";
import { conversationMessage, conversationPage } from "@/testing/fixtures";
import { apiError, callsTo, mockApi, renderWithProviders } from "@/testing/render";
import { ConversationView } from "./conversation-view";
import { validateReply } from "./reply-box";
import { UnreadBadge } from "./unread-badge";

describe("validateReply", () => {
  it("needs a text and counts characters, not bytes, against Telegram's 4096", () => {
    expect(validateReply("  ", en)).toBe(en.inbox.emptyReply);
    expect(validateReply("я".repeat(4096), en)).toBeNull();
    expect(validateReply("я".repeat(4097), en)).toBe(en.inbox.tooLong(4096));
  });
});

describe("ConversationView's reply box", () => {
  it("sends with Ctrl+Enter, clears the box and shows the reply queued", async () => {
    let sent = false;
    const calls = mockApi({
      "GET /api/users/5/messages": () =>
        conversationPage(
          sent ? [conversationMessage({ id: 2, direction: "out", text: "Yes, at 10:00", delivery_id: 4, delivery_status: "pending" })] : [],
        ),
      "POST /api/users/5/messages": () => {
        sent = true;
        return { status: 201, body: conversationMessage({ id: 2, direction: "out", text: "Yes, at 10:00", delivery_id: 4, delivery_status: "pending" }) };
      },
    });
    renderWithProviders(<ConversationView candidateId={5} />);
    expect(await screen.findByText(/^The candidate has not written to the bot yet/)).toBeInTheDocument();
    const box = screen.getByLabelText("Reply to the candidate");
    await userEvent.type(box, "  Yes, at 10:00 ");
    expect(screen.getByTestId("reply-counter")).toHaveTextContent("13 / 4096");
    fireEvent.keyDown(box, { key: "Enter", ctrlKey: true });

    await waitFor(() => expect(callsTo(calls, "POST /api/users/5/messages")).toHaveLength(1));
    expect(callsTo(calls, "POST /api/users/5/messages")[0]?.body).toEqual({ text: "Yes, at 10:00" });
    await waitFor(() => expect(box).toHaveValue(""));
    expect(await screen.findByText("queued")).toBeInTheDocument();
  });

  it("refuses an empty or too long reply without asking the server", async () => {
    const calls = mockApi({ "GET /api/users/5/messages": () => conversationPage([conversationMessage()]) });
    renderWithProviders(<ConversationView candidateId={5} />);
    await screen.findByText("Can I come on Thursday?");
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByText(en.inbox.emptyReply)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Reply to the candidate"), { target: { value: "x".repeat(4097) } });
    expect(screen.getByTestId("reply-counter")).toHaveTextContent("4097 / 4096");
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByText(en.inbox.tooLong(4096))).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/users/5/messages")).toHaveLength(0);
  });

  it("says clearly when the candidate cannot be reached, and shows other refusals as the server words them", async () => {
    let answer = apiError(409, "the candidate blocked the bot");
    mockApi({
      "GET /api/users/5/messages": () => conversationPage([conversationMessage()]),
      "POST /api/users/5/messages": () => answer,
    });
    renderWithProviders(<ConversationView candidateId={5} />, { lang: "ru" });
    await screen.findByText("Can I come on Thursday?");
    const box = screen.getByLabelText("Ответ кандидату");
    answer = { status: 409, body: { error: { code: "candidate_not_active", message: "the candidate blocked the bot" } } };
    await userEvent.type(box, "Здравствуйте");
    await userEvent.click(screen.getByRole("button", { name: "Отправить" }));
    expect(await screen.findByText(/^Кандидат заблокировал бота/)).toBeInTheDocument();
    expect(box).toHaveValue("Здравствуйте");

    answer = apiError(422, "text: the reply is 5000 characters long; Telegram takes at most 4096");
    await userEvent.click(screen.getByRole("button", { name: "Отправить" }));
    expect(await screen.findByText(/Telegram takes at most 4096/)).toBeInTheDocument();
  });
});

describe("UnreadBadge", () => {
  it("shows the unread count in the navigation, and nothing when all is read", async () => {
    let unread = 3;
    const calls = mockApi({ "GET /api/inbox": () => ({ items: [], total: 0, limit: 1, offset: 0, total_unread: unread }) });
    const first = renderWithProviders(<UnreadBadge />);
    expect(await screen.findByLabelText("3 unread")).toHaveTextContent("3");
    first.unmount();
    unread = 0;
    renderWithProviders(<UnreadBadge />);
    await waitFor(() => expect(callsTo(calls, "GET /api/inbox")).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByLabelText(/unread/)).not.toBeInTheDocument();
  });
});
