import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { mockApi, renderWithProviders } from "@/testing/render";
import { LoginForm } from "./login-form";

describe("LoginForm", () => {
  it("requires both fields before calling the server", async () => {
    const calls = mockApi({});
    renderWithProviders(<LoginForm onSuccess={() => {}} />);
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findAllByText("Required")).toHaveLength(2);
    expect(calls).toHaveLength(0);
  });

  it("logs in and calls onSuccess", async () => {
    const calls = mockApi({ "POST /api/auth/login": () => ({ id: 1, username: "olga" }) });
    const onSuccess = vi.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />);
    await userEvent.type(screen.getByLabelText("Username"), " olga ");
    await userEvent.type(screen.getByLabelText("Password"), "secret-pass");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalled());
    expect(calls[0]?.body).toEqual({ username: "olga", password: "secret-pass" });
  });

  it("shows a wrong password in the chosen language", async () => {
    mockApi({ "POST /api/auth/login": () => ({ status: 401, body: { error: { code: "invalid_credentials", message: "nope" } } }) });
    renderWithProviders(<LoginForm onSuccess={() => {}} />, { lang: "ru" });
    await userEvent.type(screen.getByLabelText("Логин"), "olga");
    await userEvent.type(screen.getByLabelText("Пароль"), "bad");
    await userEvent.click(screen.getByRole("button", { name: "Войти" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Неверный логин или пароль");
  });

  it("says when there were too many attempts", async () => {
    mockApi({ "POST /api/auth/login": () => ({ status: 429, body: { error: { code: "too_many_attempts", message: "slow down" } } }) });
    renderWithProviders(<LoginForm onSuccess={() => {}} />);
    await userEvent.type(screen.getByLabelText("Username"), "olga");
    await userEvent.type(screen.getByLabelText("Password"), "x");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts");
  });
});
