import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { en } from "@/lib/i18n/en";
import { vacancy } from "@/testing/fixtures";
import { callsTo, mockApi, renderWithProviders } from "@/testing/render";
import { SlotForm, validateSlot, type SlotFormValues } from "./slot-form";

/** The options of one select (every select of the form keeps its list in the page). */
async function optionsOf(input: HTMLElement) {
  await waitFor(() => expect(input).toHaveAttribute("aria-controls"));
  const list = document.getElementById(input.getAttribute("aria-controls")!)!;
  return within(list).getAllByRole("option", { hidden: true }).map((o) => o.textContent);
}

const valid: SlotFormValues = { date: "2099-03-02", time: "10:30", duration_minutes: 60, capacity: 1, format: "online", ownFormat: "", location: "", notes: "", vacancyId: null, interviewerIds: [] };

describe("validateSlot", () => {
  it("accepts a future slot", () => {
    expect(validateSlot(valid, "Europe/Moscow", en)).toEqual({});
  });
  it("rejects bad duration, capacity and a time in the past", () => {
    const e = validateSlot({ ...valid, date: "2000-01-01", duration_minutes: 2, capacity: 0 }, "Europe/Moscow", en);
    expect(e).toEqual({ duration_minutes: en.slots.errors.durationRange, capacity: en.slots.errors.capacityRange, time: en.slots.errors.inPast });
  });
});

describe("SlotForm", () => {
  it("shows the validation errors and sends nothing", async () => {
    const calls = mockApi({ "GET /api/vacancies": () => [] });
    renderWithProviders(<SlotForm onDone={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("Required")).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/slots")).toHaveLength(0);
  });

  it("renders no native date or time input", () => {
    mockApi({});
    renderWithProviders(<SlotForm onDone={() => {}} />, { lang: "ru" });
    expect(document.querySelectorAll('input[type="date"], input[type="time"], input[type="datetime-local"]')).toHaveLength(0);
    expect(screen.getByLabelText("Дата (московское время)")).toHaveAttribute("placeholder", "ДД.ММ.ГГГГ");
  });

  it("creates a slot at the local time of the server's zone, picked in a Russian calendar and a 24-hour time", async () => {
    const calls = mockApi({ "POST /api/slots": () => ({ status: 201, body: { id: 5 } }), "GET /api/vacancies": () => [] });
    const onDone = vi.fn();
    renderWithProviders(<SlotForm onDone={onDone} />, { lang: "ru", zone: "Europe/Moscow" });
    const date = screen.getByLabelText("Дата (московское время)");
    // Typing a day opens its month; the day itself is picked in the calendar.
    fireEvent.change(date, { target: { value: "01.03.2099" } });
    await userEvent.click(date);
    // hidden: jsdom lays nothing out, so Floating UI deems the field detached and hides the dropdown.
    await userEvent.click(await screen.findByRole("button", { name: "2 марта 2099", hidden: true }));
    await waitFor(() => expect(date).toHaveValue("02.03.2099"));
    await userEvent.clear(screen.getByLabelText("Время: минуты"));
    await userEvent.type(screen.getByLabelText("Время: минуты"), "30");
    await userEvent.type(screen.getByLabelText("Место / ссылка"), "https://meet.example/x");
    await userEvent.click(screen.getByRole("button", { name: "Создать" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    // The same body the native inputs sent: the wall-clock 02.03.2099 10:30 in Moscow as UTC.
    expect(calls.filter((c) => c.method !== "GET")[0]?.body).toEqual({
      starts_at: "2099-03-02T07:30:00.000Z",
      duration_minutes: 60,
      capacity: 1,
      format: "online",
      location: "https://meet.example/x",
      notes: null,
      vacancy_id: null,
      interviewer_ids: [],
    });
  });

  it("shows the server's validation message", async () => {
    mockApi({ "POST /api/slots": () => ({ status: 422, body: { error: { code: "validation_failed", message: "starts_at: overlaps slot 3" } } }) });
    renderWithProviders(<SlotForm onDone={() => {}} />);
    fireEvent.change(screen.getByLabelText("Date (Moscow time)"), { target: { value: "02.03.2099" } });
    await userEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("overlaps slot 3");
  });

  it("offers the formats by name and sends a known one as its code", async () => {
    const calls = mockApi({ "POST /api/slots": () => ({ status: 201, body: { id: 5 } }), "GET /api/vacancies": () => [] });
    const onDone = vi.fn();
    renderWithProviders(<SlotForm onDone={onDone} />, { lang: "ru" });
    const format = screen.getByRole("textbox", { name: "Формат" });
    expect(format).toHaveValue("онлайн");
    await userEvent.click(format);
    const options = await optionsOf(format);
    expect(options).toEqual(["онлайн", "в офисе", "по телефону", "Свой вариант…"]);
    await userEvent.click(screen.getByRole("option", { name: "по телефону", hidden: true }));
    expect(format).toHaveValue("по телефону");
    fireEvent.change(screen.getByLabelText("Дата (московское время)"), { target: { value: "02.03.2099" } });
    await userEvent.click(screen.getByRole("button", { name: "Создать" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls.filter((c) => c.method !== "GET")[0]?.body).toMatchObject({ format: "phone" });
  });

  it("asks for the own variant's words and sends them trimmed as the format", async () => {
    const calls = mockApi({ "POST /api/slots": () => ({ status: 201, body: { id: 5 } }), "GET /api/vacancies": () => [] });
    const onDone = vi.fn();
    renderWithProviders(<SlotForm onDone={onDone} />, { lang: "ru" });
    expect(screen.queryByLabelText(/Формат своими словами/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("textbox", { name: "Формат" }));
    await userEvent.click(await screen.findByRole("option", { name: "Свой вариант…", hidden: true }));
    fireEvent.change(screen.getByLabelText("Дата (московское время)"), { target: { value: "02.03.2099" } });
    await userEvent.click(screen.getByRole("button", { name: "Создать" }));
    expect(await screen.findByText("Обязательное поле")).toBeInTheDocument();
    expect(callsTo(calls, "POST /api/slots")).toHaveLength(0);
    await userEvent.type(screen.getByLabelText(/Формат своими словами/), "  Zoom или офис  ");
    await userEvent.click(screen.getByRole("button", { name: "Создать" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls.filter((c) => c.method !== "GET")[0]?.body).toMatchObject({ format: "Zoom или офис" });
  });

  it("opens a slot with the recruiter's own format as the own variant, its words filled", async () => {
    const calls = mockApi({ "PATCH /api/slots/7": () => ({ id: 7 }), "GET /api/vacancies": () => [] });
    const onDone = vi.fn();
    const slot = {
      id: 7,
      starts_at: "2099-03-02T07:30:00Z",
      duration_minutes: 45,
      capacity: 2,
      format: "Zoom или офис",
      location: null,
      notes: null,
      status: "open" as const,
      created_at: "2099-01-01T00:00:00Z",
      updated_at: "2099-01-01T00:00:00Z",
      booked: 0,
      held: 0,
      bookings: [],
      interviewers: [],
    };
    renderWithProviders(<SlotForm slot={slot} onDone={onDone} />, { lang: "ru" });
    expect(screen.getByRole("textbox", { name: "Формат" })).toHaveValue("Свой вариант…");
    expect(screen.getByLabelText(/Формат своими словами/)).toHaveValue("Zoom или офис");
    expect(screen.getByLabelText("Дата (московское время)")).toHaveValue("02.03.2099");
    expect(screen.getByLabelText("Время: часы")).toHaveValue("10");
    expect(screen.getByLabelText("Время: минуты")).toHaveValue("30");
    await userEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls.filter((c) => c.method !== "GET")[0]?.body).toEqual({
      starts_at: "2099-03-02T07:30:00.000Z",
      duration_minutes: 45,
      capacity: 2,
      format: "Zoom или офис",
      location: null,
      notes: null,
    });
  });
});

describe("SlotForm and vacancies", () => {
  it("creates a slot for the chosen vacancy, any vacancy by default", async () => {
    const calls = mockApi({
      "POST /api/slots": () => ({ status: 201, body: { id: 5 } }),
      "GET /api/vacancies": () => [
        vacancy({ id: 3, title: "Курьер", duration_minutes: 30, capacity: 4, format: "office", location: "Склад, ворота 2" }),
        vacancy({ id: 4, title: "Старый", status: "archived" }),
      ],
    });
    const onDone = vi.fn();
    renderWithProviders(<SlotForm onDone={onDone} />, { lang: "ru" });
    const select = screen.getByRole("textbox", { name: "Вакансия" });
    expect(select).toHaveValue("Любая вакансия");
    await userEvent.click(select);
    // Archived vacancies take no new slots: they are not offered.
    const options = await optionsOf(select);
    expect(options).toEqual(["Любая вакансия", "Курьер"]);
    await userEvent.click(screen.getByRole("option", { name: "Курьер", hidden: true }));
    // The slot starts from the vacancy's interview: 30 minutes, 4 places, in the office, its place.
    expect(screen.getByLabelText("Длительность, мин")).toHaveValue("30");
    expect(screen.getByRole("textbox", { name: "Формат" })).toHaveValue("в офисе");
    expect(screen.getByLabelText("Место / ссылка")).toHaveValue("Склад, ворота 2");
    fireEvent.change(screen.getByLabelText("Дата (московское время)"), { target: { value: "02.03.2099" } });
    await userEvent.click(screen.getByRole("button", { name: "Создать" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(callsTo(calls, "POST /api/slots")[0]?.body).toMatchObject({ vacancy_id: 3, duration_minutes: 30, capacity: 4, format: "offline", location: "Склад, ворота 2" });
  });
});

describe("SlotForm and interviewers", () => {
  const team = [
    { id: 7, name: "Ирина Смирнова" },
    { id: 8, name: "Олег Ким" },
  ];

  it("creates a slot with the interviewers chosen by name (several: a panel interview)", async () => {
    const calls = mockApi({ "POST /api/slots": () => ({ status: 201, body: { id: 5 } }), "GET /api/vacancies": () => [], "GET /api/interviewers": () => team });
    const onDone = vi.fn();
    renderWithProviders(<SlotForm onDone={onDone} />, { lang: "ru" });
    const select = screen.getByRole("textbox", { name: "Интервьюеры" });
    await userEvent.click(select);
    expect(await optionsOf(select)).toEqual(["Ирина Смирнова", "Олег Ким"]);
    await userEvent.click(screen.getByRole("option", { name: "Ирина Смирнова", hidden: true }));
    await userEvent.click(screen.getByRole("option", { name: "Олег Ким", hidden: true }));
    expect(screen.getByText(/слот предложат кандидатам, только когда свободны все/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Дата (московское время)"), { target: { value: "02.03.2099" } });
    await userEvent.click(screen.getByRole("button", { name: "Создать" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(callsTo(calls, "POST /api/slots")[0]?.body).toMatchObject({ interviewer_ids: [7, 8], vacancy_id: null });
  });

  it("edits a slot's vacancy and interviewers, sending only what changed, and explains a busy interviewer", async () => {
    let busy = true;
    const calls = mockApi({
      "GET /api/vacancies": () => [vacancy({ id: 3, title: "Курьер" })],
      "GET /api/interviewers": () => team,
      "PATCH /api/slots/9": () =>
        busy ? { status: 409, body: { error: { code: "interviewer_busy", message: "busy" } } } : { id: 9 },
    });
    const onDone = vi.fn();
    const slot = {
      id: 9,
      starts_at: "2099-03-02T07:30:00Z",
      duration_minutes: 45,
      capacity: 2,
      format: "online",
      status: "open" as const,
      created_at: "2099-01-01T00:00:00Z",
      updated_at: "2099-01-01T00:00:00Z",
      vacancy_id: 3,
      booked: 1,
      held: 0,
      bookings: [],
      interviewers: [team[0]!],
    };
    renderWithProviders(<SlotForm slot={slot} onDone={onDone} />, { lang: "ru" });
    const vacancySelect = screen.getByRole("textbox", { name: "Вакансия" });
    await waitFor(() => expect(vacancySelect).toHaveValue("Курьер"));
    expect(vacancySelect).toBeEnabled();
    await userEvent.click(vacancySelect);
    await optionsOf(vacancySelect);
    await userEvent.click(screen.getByRole("option", { name: "Любая вакансия", hidden: true }));
    await userEvent.click(screen.getByRole("textbox", { name: "Интервьюеры" }));
    await userEvent.click(await screen.findByRole("option", { name: "Олег Ким", hidden: true }));
    await userEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Один из интервьюеров в это время уже занят");
    expect(callsTo(calls, "PATCH /api/slots/9")[0]?.body).toMatchObject({ vacancy_id: null, interviewer_ids: [7, 8] });
    busy = false;
    await userEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
  });
});
