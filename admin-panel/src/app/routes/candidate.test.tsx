import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { approval, bookingRow, conversationMessage, conversationPage, delivery, userDetail, waitlistEntry } from "@/testing/fixtures";
import { apiError, callsTo, currentPath, mockApi, renderWithProviders } from "@/testing/render";
import { CandidateRoute } from "./candidate";

const at = { route: "/candidates/5", path: "/candidates/:id" };

describe("CandidateRoute", () => {
  it("shows the candidate's bookings and the messages sent to them", async () => {
    mockApi({
      "GET /api/users/5": () =>
        userDetail({
          bookings: [bookingRow({ status: "cancelled_by_admin", cancel_reason: "Recruiter ill", location: "Room 1" })],
          deliveries: [
            delivery({ id: 1, broadcast_id: 7 }),
            delivery({ id: 2, broadcast_id: null, kind: "notification", notification: JSON.stringify({ type: "booking_cancelled" }), status: "failed", last_error: "chat not found" }),
          ],
        }),
    });
    renderWithProviders(<CandidateRoute />, at);
    expect(await screen.findByRole("heading", { name: "Anna Petrova" })).toBeInTheDocument();
    const bookings = screen.getByRole("table", { name: "Bookings" });
    expect(bookings).toHaveTextContent("02.03.2099 10:00");
    expect(bookings).toHaveTextContent("online · Room 1");
    expect(bookings).toHaveTextContent("cancelled by adminRecruiter ill");
    const messages = screen.getByRole("table", { name: "Messages received" });
    expect(within(messages).getByRole("link", { name: "Broadcast" })).toHaveAttribute("href", "/broadcasts/7");
    expect(messages).toHaveTextContent("Notice: interview cancelled");
    expect(messages).toHaveTextContent("chat not found");
  });

  it("shows the candidate's conversation on the card, and a reply is sent from there", async () => {
    const calls = mockApi({
      "GET /api/users/5": () => userDetail(),
      "GET /api/users/5/messages": () => conversationPage([conversationMessage({ read_at: "2099-03-01T08:00:00Z" })]),
      "POST /api/users/5/messages": () => ({ status: 201, body: conversationMessage({ id: 2, direction: "out", text: "Yes", delivery_id: 3, delivery_status: "pending" }) }),
    });
    renderWithProviders(<CandidateRoute />, at);
    const conversation = await screen.findByLabelText("Conversation");
    expect(within(conversation).getByText("Can I come on Thursday?")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Reply to the candidate"), "Yes");
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/users/5/messages")).toHaveLength(1));
    // Everything in it was read already: nothing to mark.
    expect(callsTo(calls, "POST /api/users/5/messages/read")).toHaveLength(0);
  });

  it("shows the interview format as a label in Russian, the recruiter's own format as written", async () => {
    mockApi({
      "GET /api/users/5": () =>
        userDetail({ bookings: [bookingRow({ id: 1, format: "online", location: null }), bookingRow({ id: 2, format: "phone", location: null }), bookingRow({ id: 3, format: "в кафе у офиса", location: null })] }),
    });
    renderWithProviders(<CandidateRoute />, { ...at, lang: "ru" });
    const bookings = await screen.findByRole("table", { name: "Записи" });
    expect(bookings).toHaveTextContent("онлайн");
    expect(bookings).toHaveTextContent("по телефону");
    expect(bookings).toHaveTextContent("в кафе у офиса");
    expect(bookings).not.toHaveTextContent("online");
  });

  it("says when there are no bookings or messages", async () => {
    mockApi({ "GET /api/users/5": () => userDetail() });
    renderWithProviders(<CandidateRoute />, at);
    expect(await screen.findByText(/^No bookings: the candidate books in the bot/)).toBeInTheDocument();
    expect(screen.getByText(/^No messages: broadcasts and notices/)).toBeInTheDocument();
    // Each says what to do next, with a button.
    await userEvent.click(screen.getByRole("button", { name: "Go to slots" }));
    expect(currentPath()).toBe("/slots");
  });

  it("blocking asks first, then refetches the candidate", async () => {
    let blocked = false;
    const calls = mockApi({
      "GET /api/users/5": () => userDetail({ status: blocked ? "blocked" : "active" }),
      "POST /api/users/5/block": () => {
        blocked = true;
        return { status: 204 };
      },
    });
    renderWithProviders(<CandidateRoute />, at);
    await userEvent.click(await screen.findByRole("button", { name: "Block" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Block Anna Petrova?");
    expect(callsTo(calls, "POST /api/users/5/block")).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole("button", { name: "Block" }));
    await waitFor(() => expect(callsTo(calls, "POST /api/users/5/block")).toHaveLength(1));
    await waitFor(() => expect(callsTo(calls, "GET /api/users/5")).toHaveLength(2));
    expect(await screen.findByRole("button", { name: "Unblock" })).toBeInTheDocument();
  });

  it("unblocking refetches the candidate", async () => {
    let blocked = true;
    const calls = mockApi({
      "GET /api/users/5": () => userDetail({ status: blocked ? "blocked" : "active" }),
      "POST /api/users/5/unblock": () => {
        blocked = false;
        return { status: 204 };
      },
    });
    renderWithProviders(<CandidateRoute />, at);
    await userEvent.click(await screen.findByRole("button", { name: "Unblock" }));
    await waitFor(() => expect(callsTo(calls, "GET /api/users/5")).toHaveLength(2));
    expect(await screen.findByRole("button", { name: "Block" })).toBeInTheDocument();
  });

  it("shows the server's error", async () => {
    mockApi({ "GET /api/users/5": () => apiError(404, "candidate 5 not found") });
    renderWithProviders(<CandidateRoute />, at);
    expect(await screen.findByRole("alert")).toHaveTextContent("candidate 5 not found");
  });

  it("shows where the candidate came from, their questionnaires, and a booking's vacancy with its answers folded", async () => {
    const answers = [
      { question: "Есть права?", kind: "yes_no" as const, answer: "Да" },
      { question: "Телефон", kind: "phone" as const, answer: null },
    ];
    mockApi({
      "GET /api/users/5": () =>
        userDetail({
          first_source: "hh.ru",
          last_source: "Telegram-канал",
          answers: [{ vacancy_id: 3, vacancy_title: "Курьер", answers, completed_at: "2099-03-01T07:00:00Z" }],
          bookings: [bookingRow({ vacancy_id: 3, vacancy_title: "Курьер", answers })],
        }),
      "GET /api/users/5/messages": () => conversationPage([]),
    });
    renderWithProviders(<CandidateRoute />, { ...at, lang: "ru" });
    const questionnaire = await screen.findByTestId("questionnaire");
    expect(questionnaire).toHaveTextContent("Курьерзаполнена 01.03.2099 10:00Есть права?ДаТелефонпропущен");
    expect(screen.getByText("Первый источник").nextSibling).toHaveTextContent("hh.ru");
    expect(screen.getByText("Последний источник").nextSibling).toHaveTextContent("Telegram-канал");
    const bookings = screen.getByRole("table", { name: "Записи" });
    expect(bookings).toHaveTextContent("Курьер");
    await userEvent.click(within(bookings).getByRole("button", { name: "Ответы (2)" }));
    await waitFor(() => expect(within(bookings).getByText("Да")).toBeVisible());
    expect(within(bookings).getByRole("button", { name: "Скрыть ответы" })).toBeInTheDocument();
  });

  it("without a questionnaire or a link, says so and offers the vacancies", async () => {
    mockApi({ "GET /api/users/5": () => userDetail(), "GET /api/users/5/messages": () => conversationPage([]) });
    renderWithProviders(<CandidateRoute />, { ...at, lang: "ru" });
    expect(await screen.findByText(/^Кандидат ещё не заполнял анкету/)).toBeInTheDocument();
    expect(screen.getAllByText("пришёл без ссылки")).toHaveLength(2);
    await userEvent.click(screen.getByRole("button", { name: "К вакансиям" }));
    expect(currentPath()).toBe("/vacancies");
  });

  it("shows the interviewers' feedback from Telegram, and says what to expect without any", async () => {
    mockApi({
      "GET /api/users/5": () =>
        userDetail({
          feedback: [
            { booking_id: 9, slot_starts_at: "2099-03-02T07:00:00Z", interviewer: "Ольга Смирнова", attended: true, score: 4, note: "Сильный кандидат", updated_at: "2099-03-02T08:00:00Z" },
          ],
        }),
    });
    renderWithProviders(<CandidateRoute />, { ...at, lang: "ru" });
    const card = await screen.findByTestId("feedback");
    expect(card).toHaveTextContent("Ольга Смирнова");
    expect(card).toHaveTextContent("собеседование 02.03.2099 10:00");
    expect(card).toHaveTextContent("пришёл · ★★★★☆ (оценка 4 из 5)");
    expect(card).toHaveTextContent("Сильный кандидат");
  });

  it("without feedback, says that interviewers leave it in Telegram", async () => {
    mockApi({ "GET /api/users/5": () => userDetail() });
    renderWithProviders(<CandidateRoute />, { ...at, lang: "ru" });
    expect(await screen.findByText(/интервьюер оставляет отзыв в Telegram/)).toBeInTheDocument();
  });
  it("says where the candidate waits, the offer they hold and their requests to book after no-shows", async () => {
    mockApi({
      "GET /api/users/5": () =>
        userDetail({
          waitlist: waitlistEntry({ position: 2, offer: { id: 4, slot_id: 9, slot_starts_at: "2099-03-02T12:00:00Z", expires_at: "2099-03-01T10:15:00Z", by_admin: false } }),
          approvals: [approval({ candidate_id: 5, status: "approved", decided_at: "2099-03-01T09:30:00Z", decided_by_name: "olga" })],
        }),
      "GET /api/users/5/messages": () => conversationPage([]),
    });
    renderWithProviders(<CandidateRoute />, { ...at, lang: "ru", zone: "Europe/Moscow" });
    const card = await screen.findByTestId("candidate-waitlist");
    expect(card).toHaveTextContent("Ждёт свободного времени, место в очереди: 2");
    expect(card).toHaveTextContent("Курьер · Пн, Ср · утро, вечер · в листе с 01.03.2099 10:30");
    expect(card).toHaveTextContent("Предложено: 02.03.2099 15:00, ждём ответа до 13:15");
    expect(card).toHaveTextContent("одобрено");
    expect(card).toHaveTextContent("olga, 01.03.2099 12:30");
    expect(within(card).getByRole("link", { name: "Открыть лист ожидания" })).toHaveAttribute("href", "/waitlist");
  });

  it("shows no waitlist section for a candidate who never waited", async () => {
    mockApi({ "GET /api/users/5": () => userDetail(), "GET /api/users/5/messages": () => conversationPage([]) });
    renderWithProviders(<CandidateRoute />, at);
    expect(await screen.findByRole("heading", { name: "Anna Petrova" })).toBeInTheDocument();
    expect(screen.queryByTestId("candidate-waitlist")).toBeNull();
  });
});
