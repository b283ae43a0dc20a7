import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { en } from "@/lib/i18n/en";
import { visibleLength } from "@/lib/telegram-html";
import { candidate, listPage, vacancy } from "@/testing/fixtures";
import { callsTo, mockApi, renderWithProviders } from "@/testing/render";
import { DRAFT_KEY, EMPTY, toSegment, validateCompose } from "../hooks/use-broadcast-compose";
import { BroadcastCompose } from "./broadcast-compose";

const values = { ...EMPTY, text: "Hello" };

describe("validateCompose", () => {
  it("counts visible characters, not tags or entities, against 4096", () => {
    expect(visibleLength("<b>a&amp;b</b>")).toBe(3);
    const ok = `<b>${"x".repeat(4096)}</b>`;
    expect(validateCompose({ ...values, text: ok }, "Europe/Moscow", en)).toEqual({});
    expect(validateCompose({ ...values, text: "x".repeat(4097) }, "Europe/Moscow", en).text).toBe(en.broadcasts.tooLong(4096));
  });
  it("holds a text with a photo to the caption limit, a link button to a label and an http(s) or tg link, a title to 80", () => {
    const photo = { ...values, photoId: 3 };
    expect(validateCompose({ ...photo, text: "я".repeat(1024) }, "Europe/Moscow", en)).toEqual({});
    expect(validateCompose({ ...photo, text: "я".repeat(1025) }, "Europe/Moscow", en).text).toBe(en.broadcasts.tooLong(1024));
    expect(validateCompose({ ...photo, textEn: "e".repeat(1025) }, "Europe/Moscow", en).textEn).toBe(en.broadcasts.tooLong(1024));
    const link = { ...values, buttonKind: "url" as const, buttonText: "Site", buttonUrl: "https://example.com" };
    expect(validateCompose(link, "Europe/Moscow", en)).toEqual({});
    expect(validateCompose({ ...link, buttonUrl: "tg://resolve?domain=x" }, "Europe/Moscow", en)).toEqual({});
    expect(validateCompose({ ...link, buttonUrl: "javascript:alert(1)" }, "Europe/Moscow", en).buttonUrl).toBe(en.broadcasts.badButtonUrl);
    expect(validateCompose({ ...link, buttonText: " " }, "Europe/Moscow", en).buttonText).toBe(en.common.required);
    expect(validateCompose({ ...link, buttonText: "x".repeat(65) }, "Europe/Moscow", en).buttonText).toBe(en.broadcasts.buttonTextTooLong(64));
    expect(validateCompose({ ...values, title: "x".repeat(81) }, "Europe/Moscow", en).title).toBe(en.broadcasts.titleTooLong(80));
  });
  it("needs text, a date for booked_on and a send time in the future", () => {
    const e = validateCompose({ ...EMPTY, text: " ", kind: "booked_on", date: "", sendDate: "2000-01-01", sendTime: "10:00" }, "Europe/Moscow", en);
    expect(e).toEqual({ text: en.broadcasts.emptyText, date: en.common.required, sendTime: en.broadcasts.sendAtPast });
  });
  it("builds segments", () => {
    const none = { date: "", vacancyId: null, linkId: null };
    expect(toSegment({ ...none, kind: "booked_on", date: "2099-01-02" })).toEqual({ kind: "booked_on", date: "2099-01-02" });
    expect(toSegment({ ...none, kind: "booked_on" })).toBeNull();
    expect(toSegment({ ...none, kind: "never_booked" })).toEqual({ kind: "never_booked" });
    expect(toSegment({ ...none, kind: "vacancy" })).toBeNull();
    expect(toSegment({ ...none, kind: "vacancy", vacancyId: 3 })).toEqual({ kind: "vacancy", vacancy_id: 3 });
    expect(toSegment({ ...none, kind: "source" })).toBeNull();
    expect(toSegment({ ...none, kind: "source", linkId: 11 })).toEqual({ kind: "source", link_id: 11 });
    // "Answered, never booked" without a vacancy means any vacancy.
    expect(toSegment({ ...none, kind: "answered_never_booked" })).toEqual({ kind: "answered_never_booked", vacancy_id: null });
    expect(toSegment({ ...none, kind: "answered_never_booked", vacancyId: 3 })).toEqual({ kind: "answered_never_booked", vacancy_id: 3 });
  });
  it("needs the vacancy or the link of those segments", () => {
    const base = { ...EMPTY, text: "Hi" };
    expect(validateCompose({ ...base, kind: "vacancy" }, "Europe/Moscow", en)).toEqual({ vacancyId: en.broadcasts.pickVacancy });
    expect(validateCompose({ ...base, kind: "source" }, "Europe/Moscow", en)).toEqual({ linkId: en.broadcasts.pickLink });
    expect(validateCompose({ ...base, kind: "answered_never_booked" }, "Europe/Moscow", en)).toEqual({});
  });
});

describe("BroadcastCompose", () => {
  beforeEach(() => window.localStorage.removeItem(DRAFT_KEY));

  it("keeps an unsent draft across a remount (an expired session, a reload)", async () => {
    mockApi({ "POST /api/broadcasts/recipients": () => ({ count: 2 }) });
    const first = renderWithProviders(<BroadcastCompose onCreated={() => {}} />);
    fireEvent.change(screen.getByLabelText("Text (Telegram HTML)"), { target: { value: "<b>Draft</b> text" } });
    first.unmount();

    renderWithProviders(<BroadcastCompose onCreated={() => {}} />);

    expect(screen.getByLabelText("Text (Telegram HTML)")).toHaveValue("<b>Draft</b> text");
  });

  it("shows the recipient count and the Telegram preview, and sends after confirmation", async () => {
    const calls = mockApi({
      "POST /api/broadcasts/recipients": (_r, body) => ({ count: (body as { segment: { kind: string } }).segment.kind === "all" ? 42 : 7 }),
      "POST /api/broadcasts": () => ({ status: 201, body: { id: 9 } }),
    });
    const onCreated = vi.fn();
    renderWithProviders(<BroadcastCompose onCreated={onCreated} />);
    expect(await screen.findByText("Recipients: 42")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Text (Telegram HTML)"), { target: { value: "<b>Hi</b> <script>x</script>&lt;3" } });
    const preview = screen.getByTestId("telegram-preview");
    expect(within(preview).getByText("Hi").tagName).toBe("STRONG");
    expect(preview.querySelector("script")).toBeNull();
    expect(preview).toHaveTextContent("Hi x<3");

    await userEvent.click(screen.getByRole("button", { name: "Send (42)" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Send this broadcast to 42 candidates?");
    await userEvent.click(within(dialog).getByRole("button", { name: "Send (42)" }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    const sent = calls.find((c) => c.path === "/api/broadcasts");
    expect(sent?.body).toEqual({
      title: null,
      text: "<b>Hi</b> <script>x</script>&lt;3",
      text_en: null,
      button: null,
      photo_id: null,
      segment: { kind: "all" },
      send_at: null,
    });
    expect(window.localStorage.getItem(DRAFT_KEY)).toBeNull();
  });

  it("blocks a text over 4096 visible characters", async () => {
    const calls = mockApi({ "POST /api/broadcasts/recipients": () => ({ count: 3 }) });
    renderWithProviders(<BroadcastCompose onCreated={() => {}} />);
    fireEvent.change(screen.getByLabelText("Text (Telegram HTML)"), { target: { value: "я".repeat(4097) } });
    expect(screen.getByText("4097 / 4096")).toBeInTheDocument();
    await screen.findByText("Recipients: 3");
    await userEvent.click(screen.getByRole("button", { name: "Send (3)" }));
    expect(await screen.findByText(en.broadcasts.tooLong(4096))).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.filter((c) => c.path === "/api/broadcasts")).toHaveLength(0);
  });

  it("counts a vacancy's candidates once the vacancy is chosen", async () => {
    const calls = mockApi({
      "POST /api/broadcasts/recipients": (_r, body) => ({ count: (body as { segment: { kind: string } }).segment.kind === "all" ? 42 : 5 }),
      "GET /api/vacancies": () => [vacancy({ id: 3, title: "Courier" })],
    });
    renderWithProviders(<BroadcastCompose onCreated={() => {}} />);
    await screen.findByText("Recipients: 42");
    await userEvent.click(screen.getByRole("textbox", { name: "To" }));
    await userEvent.click(await screen.findByRole("option", { name: "By vacancy", hidden: true }));
    // No vacancy yet: nothing to count, nothing to send.
    expect(screen.getByTestId("recipient-count")).toHaveTextContent("—");
    await userEvent.click(screen.getByRole("textbox", { name: "Vacancy" }));
    await userEvent.click(await screen.findByRole("option", { name: "Courier", hidden: true }));
    expect(await screen.findByText("Recipients: 5")).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/broadcasts/recipients").at(-1)?.body).toEqual({ segment: { kind: "vacancy", vacancy_id: 3 } });
  });

  it("counts a booked_on segment once its date is set", async () => {
    const calls = mockApi({ "POST /api/broadcasts/recipients": (_r, body) => ({ count: (body as { segment: { kind: string } }).segment.kind === "all" ? 42 : 7 }) });
    renderWithProviders(<BroadcastCompose onCreated={() => {}} />);
    await screen.findByText("Recipients: 42");
    await userEvent.click(screen.getByRole("textbox", { name: "To" }));
    await userEvent.click(await screen.findByRole("option", { name: "Booked on a date", hidden: true }));
    fireEvent.change(screen.getByLabelText(/^Date/), { target: { value: "01.05.2099" } });
    expect(await screen.findByText("Recipients: 7")).toBeInTheDocument();
    expect(calls.at(-1)?.body).toEqual({ segment: { kind: "booked_on", date: "2099-05-01" } });
  });

  it("sends a test to one candidate", async () => {
    const calls = mockApi({
      "POST /api/broadcasts/recipients": () => ({ count: 1 }),
      "POST /api/broadcasts/test": () => ({ status: 202, body: { delivery_id: 1 } }),
      "GET /api/users": (req) =>
        listPage(new URL(req.url).searchParams.get("q") === "petro" ? [candidate({ id: 12, first_name: "Anna", last_name: "Petrova", username: "anna" })] : []),
    });
    renderWithProviders(<BroadcastCompose onCreated={() => {}} />);
    fireEvent.change(screen.getByLabelText("Text (Telegram HTML)"), { target: { value: "test" } });
    // Found by name, never typed as an id.
    await userEvent.type(screen.getByRole("textbox", { name: "Send the test to" }), "petro");
    await userEvent.click(await screen.findByRole("option", { name: "Anna Petrova @anna", hidden: true }));
    await userEvent.click(screen.getByRole("button", { name: "Send test" }));
    await waitFor(() =>
      expect(calls.find((c) => c.path === "/api/broadcasts/test")?.body).toEqual({
        candidate_id: 12,
        text: "test",
        text_en: null,
        button: null,
        photo_id: null,
      }),
    );
  });
});

describe("BroadcastCompose with English, a button and a photo", () => {
  beforeEach(() => window.localStorage.removeItem(DRAFT_KEY));

  it("previews each language, uploads a photo and sends it all", async () => {
    const calls = mockApi({
      "POST /api/broadcasts/recipients": () => ({ count: 2 }),
      "POST /api/broadcasts/photos": () => ({ status: 201, body: { id: 5, content_type: "image/png", size: 4, created_at: "2099-01-01T00:00:00Z" } }),
      "POST /api/broadcasts": () => ({ status: 201, body: { id: 9 } }),
    });
    renderWithProviders(<BroadcastCompose onCreated={() => {}} />);
    await screen.findByText("Recipients: 2");
    fireEvent.change(screen.getByLabelText("Text (Telegram HTML)"), { target: { value: "<b>Привет</b>" } });
    await userEvent.click(screen.getByRole("tab", { name: "English" }));
    fireEvent.change(screen.getByLabelText("English text (Telegram HTML)"), { target: { value: "<b>Hello</b>" } });
    expect(screen.getByTestId("telegram-text")).toHaveTextContent("Hello");
    await userEvent.click(screen.getByRole("radio", { name: "“Book”" }));
    expect(screen.getByTestId("telegram-button")).toHaveTextContent("📅 Book");
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "p.png", { type: "image/png" });
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    await userEvent.upload(input, file);
    expect(await screen.findByTestId("photo-thumbnail")).toBeInTheDocument();
    expect(screen.getByTestId("telegram-photo")).toHaveAttribute("src", expect.stringContaining("/api/broadcasts/photos/5"));
    await userEvent.click(screen.getByRole("tab", { name: "Русский" }));
    expect(screen.getByTestId("telegram-text")).toHaveTextContent("Привет");
    expect(screen.getByTestId("telegram-button")).toHaveTextContent("📅 Записаться");

    await userEvent.click(screen.getByRole("button", { name: "Send (2)" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Send (2)" }));
    await waitFor(() => expect(calls.find((c) => c.path === "/api/broadcasts")).toBeTruthy());
    expect(calls.find((c) => c.path === "/api/broadcasts")?.body).toEqual({
      title: null,
      text: "<b>Привет</b>",
      text_en: "<b>Hello</b>",
      button: { kind: "book" },
      photo_id: 5,
      segment: { kind: "all" },
      send_at: null,
    });
  });

  it("wraps the selection with the toolbar", async () => {
    mockApi({ "POST /api/broadcasts/recipients": () => ({ count: 1 }) });
    renderWithProviders(<BroadcastCompose onCreated={() => {}} />);
    const area = screen.getByLabelText("Text (Telegram HTML)") as HTMLTextAreaElement;
    fireEvent.change(area, { target: { value: "Hello world" } });
    area.setSelectionRange(6, 11);
    await userEvent.click(screen.getByRole("button", { name: "Bold" }));
    expect(area).toHaveValue("Hello <b>world</b>");
    vi.spyOn(window, "prompt").mockReturnValue("https://example.com/?a=1&b=2");
    area.setSelectionRange(0, 5);
    await userEvent.click(screen.getByRole("button", { name: "Link" }));
    expect(area).toHaveValue('<a href="https://example.com/?a=1&amp;b=2">Hello</a> <b>world</b>');
  });
});
