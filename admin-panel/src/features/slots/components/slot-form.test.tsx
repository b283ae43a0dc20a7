import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { en } from "@/lib/i18n/en";
import { mockApi, renderWithProviders } from "@/testing/render";
import { SlotForm, validateSlot } from "./slot-form";

const valid = { date: "2099-03-02", time: "10:30", duration_minutes: 60, capacity: 1, format: "online", location: "", notes: "" };

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
    const calls = mockApi({});
    renderWithProviders(<SlotForm onDone={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("Required")).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it("renders no native date or time input", () => {
    mockApi({});
    renderWithProviders(<SlotForm onDone={() => {}} />, { lang: "ru" });
    expect(document.querySelectorAll('input[type="date"], input[type="time"], input[type="datetime-local"]')).toHaveLength(0);
    expect(screen.getByLabelText("Дата (московское время)")).toHaveAttribute("placeholder", "ДД.ММ.ГГГГ");
  });

  it("creates a slot at the local time of the server's zone, picked in a Russian calendar and a 24-hour time", async () => {
    const calls = mockApi({ "POST /api/slots": () => ({ status: 201, body: { id: 5 } }) });
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
    expect(calls[0]?.body).toEqual({
      starts_at: "2099-03-02T07:30:00.000Z",
      duration_minutes: 60,
      capacity: 1,
      format: "online",
      location: "https://meet.example/x",
      notes: null,
    });
  });

  it("shows the server's validation message", async () => {
    mockApi({ "POST /api/slots": () => ({ status: 422, body: { error: { code: "validation_failed", message: "starts_at: overlaps slot 3" } } }) });
    renderWithProviders(<SlotForm onDone={() => {}} />);
    fireEvent.change(screen.getByLabelText("Date (Moscow time)"), { target: { value: "02.03.2099" } });
    await userEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("overlaps slot 3");
  });
});
