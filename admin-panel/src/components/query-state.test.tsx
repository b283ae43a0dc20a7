import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api-client";
import { renderWithProviders } from "@/testing/render";
import { ErrorState } from "./query-state";

describe("ErrorState", () => {
  it("tells the server's errors in the panel's language, never as the server's English or a code", () => {
    renderWithProviders(<ErrorState error={new ApiError(409, "slot_not_open", "the slot is already cancelled")} />, { lang: "ru" });
    expect(screen.getByRole("alert")).toHaveTextContent("Слот уже отменён или удалён.");
    expect(screen.getByRole("alert")).not.toHaveTextContent("already cancelled");
  });

  it("shows the server's own words for an error it has no translation of", () => {
    renderWithProviders(<ErrorState error={new ApiError(422, "validation_failed", "text: must not be empty")} />, { lang: "en" });
    expect(screen.getByRole("alert")).toHaveTextContent("text: must not be empty");
  });
});
