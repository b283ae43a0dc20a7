import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { conversationMessage, conversationPage, conversationSummary, inboxPage, userDetail } from "@/testing/fixtures";
import { callsTo, currentPath, mockApi, renderWithProviders } from "@/testing/render";
import { InboxRoute } from "./inbox";

const list = { route: "/inbox", path: "/inbox" };
const open = { route: "/inbox/5", path: "/inbox/:id" };

describe("InboxRoute", () => {
  it("lists the conversations with the last message, the time in the panel's zone and the unread count", async () => {
    mockApi({
      "GET /api/inbox": () =>
        inboxPage([
          conversationSummary(),
          conversationSummary({ candidate_id: 6, first_name: "Boris", last_name: null, username: null, last_text: null, last_attachment_kind: "document", last_file_name: "cv.pdf", unread: 0, last_direction: "in" }),
          conversationSummary({ candidate_id: 7, first_name: "Vera", last_name: null, last_direction: "out", last_text: "See you", unread: 0 }),
        ]),
    });
    renderWithProviders(<InboxRoute />, list);
    const conversations = await screen.findByRole("list", { name: "Messages" });
    const [anna, boris, vera] = within(conversations).getAllByRole("listitem") as [HTMLElement, HTMLElement, HTMLElement];
    expect(anna).toHaveTextContent("Anna Petrova");
    expect(anna).toHaveTextContent("@anna");
    expect(anna).toHaveTextContent("Can I come on Thursday?");
    // 07:00 UTC in Moscow.
    expect(anna).toHaveTextContent("01.03.2099 10:00");
    expect(within(anna).getByLabelText("2 unread")).toHaveTextContent("2");
    expect(boris).toHaveTextContent("no @username");
    expect(boris).toHaveTextContent("📎 cv.pdf");
    expect(vera).toHaveTextContent("You: See you");
    expect(screen.getByText("Unread: 2")).toBeInTheDocument();
    expect(screen.getByText(/^Pick a conversation/)).toBeInTheDocument();

    await userEvent.click(boris);
    expect(currentPath()).toBe("/inbox/6");
  });

  it("says what to do when nobody has written yet", async () => {
    mockApi({ "GET /api/inbox": () => inboxPage([]) });
    renderWithProviders(<InboxRoute />, { ...list, lang: "ru" });
    expect(await screen.findByText(/^Сообщений пока нет: здесь появится всё, что кандидаты напишут боту/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "К кандидатам" }));
    expect(currentPath()).toBe("/candidates");
  });

  it("opens a conversation with its photos, documents and replies' statuses, and marks it read", async () => {
    let unread = true;
    const calls = mockApi({
      "GET /api/inbox": () => inboxPage([conversationSummary({ unread: unread ? 2 : 0 })]),
      "GET /api/users/5": () => userDetail(),
      "GET /api/users/5/messages": () =>
        conversationPage([
          conversationMessage({ id: 1, text: "My diploma", attachment_kind: "photo", read_at: unread ? null : "2099-03-01T08:00:00Z" }),
          conversationMessage({ id: 2, text: null, attachment_kind: "document", file_name: "cv.pdf", read_at: unread ? null : "2099-03-01T08:00:00Z" }),
          conversationMessage({ id: 3, direction: "out", text: "Thank you!\nSee you", delivery_id: 9, delivery_status: "sent", admin_username: "recruiter" }),
          conversationMessage({ id: 4, direction: "out", text: "One more thing", delivery_id: 10, delivery_status: "published", admin_username: "recruiter" }),
        ]),
      "POST /api/users/5/messages/read": () => {
        unread = false;
        return { read: 2 };
      },
    });
    renderWithProviders(<InboxRoute />, open);
    const conversation = await screen.findByLabelText("Conversation");
    expect(within(conversation).getByText("📷 Photo")).toBeInTheDocument();
    expect(within(conversation).getByText("My diploma")).toBeInTheDocument();
    expect(within(conversation).getByText("📎 cv.pdf")).toBeInTheDocument();
    const replies = within(conversation).getAllByTestId("message-out");
    expect(replies[0]).toHaveTextContent("sent");
    expect(replies[0]).toHaveTextContent("replied by recruiter");
    expect(replies[1]).toHaveTextContent("queued");
    expect(await screen.findByRole("link", { name: "Candidate's card" })).toHaveAttribute("href", "/candidates/5");

    await waitFor(() => expect(callsTo(calls, "POST /api/users/5/messages/read")).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText("Unread: 2")).not.toBeInTheDocument());
    // Read once: the refetched conversation has nothing unread.
    await new Promise((r) => setTimeout(r, 50));
    expect(callsTo(calls, "POST /api/users/5/messages/read")).toHaveLength(1);
  });

  it("labels the replies' statuses in Russian", async () => {
    mockApi({
      "GET /api/inbox": () => inboxPage([conversationSummary({ unread: 0 })]),
      "GET /api/users/5": () => userDetail(),
      "GET /api/users/5/messages": () =>
        conversationPage([
          conversationMessage({ id: 3, direction: "out", text: "Ждём вас", delivery_id: 9, delivery_status: "pending" }),
          conversationMessage({ id: 4, direction: "out", text: "И ещё", delivery_id: 10, delivery_status: "failed" }),
          conversationMessage({ id: 5, direction: "out", text: "Готово", delivery_id: 11, delivery_status: "sent" }),
        ]),
    });
    renderWithProviders(<InboxRoute />, { ...open, lang: "ru" });
    const replies = await screen.findAllByTestId("message-out");
    expect(replies.map((r) => within(r).getByText(/в очереди|ошибка|отправлено/).textContent)).toEqual(["в очереди", "ошибка", "отправлено"]);
    expect(screen.queryByText("pending")).not.toBeInTheDocument();
  });
});
