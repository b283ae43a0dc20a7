# syntax=docker/dockerfile:1
# One Dockerfile, two images: `docker build --target api_server .` and `--target telegram_bot`.
# Stages: the admin panel (Node), the Rust dependencies (cached until a Cargo.toml or
# Cargo.lock changes), the workspace build, and small non-root runtime images.

FROM node:20-bookworm-slim AS panel
WORKDIR /panel
COPY admin-panel/ ./
# The panel is optional: without admin-panel/package.json the API image serves no panel.
RUN if [ -f package.json ]; then npm ci && npm run build; else mkdir -p dist; fi

FROM rust:1.95-slim-bookworm AS deps
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY core_logic/Cargo.toml core_logic/
COPY api_server/Cargo.toml api_server/
COPY telegram_bot/Cargo.toml telegram_bot/
COPY fake_telegram/Cargo.toml fake_telegram/
# Stub sources, so this layer compiles only the dependencies and stays cached across code edits.
RUN for c in core_logic api_server telegram_bot fake_telegram; do \
      mkdir -p $c/src && echo 'fn main() {}' > $c/src/main.rs && touch $c/src/lib.rs; \
    done \
 && cargo build --release -p api_server -p telegram_bot \
 && rm -rf core_logic api_server telegram_bot fake_telegram

FROM deps AS build
COPY migrations migrations
COPY core_logic core_logic
COPY api_server api_server
COPY telegram_bot telegram_bot
COPY fake_telegram fake_telegram
# Touch the sources so cargo rebuilds the workspace crates over the stubs.
RUN find core_logic api_server telegram_bot fake_telegram -name '*.rs' -exec touch {} + \
 && cargo build --release -p api_server -p telegram_bot

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app app \
 && mkdir -p /app /data && chown app:app /data
WORKDIR /app
ENV DATABASE_URL=sqlite:/data/data.db RUST_LOG=info
VOLUME /data
USER app

FROM runtime AS api_server
COPY --from=build /src/target/release/api_server /app/api_server
COPY --from=panel /panel/dist /app/admin-panel/dist
ENV API_ADDR=0.0.0.0:8080 PANEL_DIR=/app/admin-panel/dist
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=6 CMD ["/app/api_server", "healthcheck"]
ENTRYPOINT ["/app/api_server"]

FROM runtime AS telegram_bot
COPY --from=build /src/target/release/telegram_bot /app/telegram_bot
ENTRYPOINT ["/app/telegram_bot"]
