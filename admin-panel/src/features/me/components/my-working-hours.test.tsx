import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { callsTo, mockApi, renderWithProviders } from "@/testing/render";
import { MyWorkingHours, toWindows } from "./my-working-hours";

describe("MyWorkingHours", () => {
  it("shows the saved hours, adds a day and saves them all", async () => {
    const calls = mockApi({
      "GET /api/me/working-hours": () => [{ weekday: 1, start: "09:00:00", end: "13:00:00" }],
      "PUT /api/me/working-hours": (req) => req.body as object,
    });
    renderWithProviders(<MyWorkingHours />, { lang: "ru" });
    expect(await screen.findAllByTestId("working-window")).toHaveLength(1);
    await userEvent.click(screen.getByRole("button", { name: "Добавить часы" }));
    expect(screen.getAllByTestId("working-window")).toHaveLength(2);
    await userEvent.click(screen.getByRole("button", { name: "Сохранить" }));
    await waitFor(() => expect(callsTo(calls, "PUT /api/me/working-hours")).toHaveLength(1));
    expect(callsTo(calls, "PUT /api/me/working-hours")[0]!.body).toEqual([
      { weekday: 1, start: "09:00:00", end: "13:00:00" },
      { weekday: 1, start: "09:00:00", end: "18:00:00" },
    ]);
  });

  it("without hours says slots may fall at any time", async () => {
    mockApi({ "GET /api/me/working-hours": () => [] });
    renderWithProviders(<MyWorkingHours />, { lang: "ru" });
    expect(await screen.findByText(/Часы не заданы/)).toBeInTheDocument();
  });

  it("refuses an end before the start, naming the row", () => {
    expect(toWindows([{ weekday: "2", start: "10:00", end: "09:00" }])).toBe(0);
    expect(toWindows([{ weekday: "2", start: "10:00", end: "" }])).toBe(0);
    expect(toWindows([{ weekday: "2", start: "10:00", end: "12:30" }])).toEqual([{ weekday: 2, start: "10:00:00", end: "12:30:00" }]);
  });
});
