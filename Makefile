# The two commands of the README: `make run` and `make test`.
.PHONY: run test lint faults smoke compose-check panel-test panel-e2e mutants bench

# Builds the binaries the way `cargo test` does: with every target, so the dependencies are
# resolved with the same features (dev-dependencies add some) and one build serves both; a plain
# `cargo build --bins` after `cargo test` would rebuild most dependencies (minutes).
BUILD = cargo build --workspace --all-targets

# Runs the system on its embedded defaults (SQLite file, embedded queue unless RABBITMQ_URL is set).
run:
	$(BUILD)
	./scripts/run.sh

# Runs every check and test. RabbitMQ must be reachable (RABBITMQ_URL or 127.0.0.1:5672):
# the RabbitMQ tests fail, never skip, without it.
test: lint
	cargo test --workspace --exclude faults --no-fail-fast
	$(MAKE) faults
	$(MAKE) panel-test
	$(MAKE) panel-e2e
	$(MAKE) compose-check
	$(MAKE) smoke

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# The fault suite (faults/tests/fault_suite.rs): the real services, a RabbitMQ node of its own
# (rabbitmq-server must be installed; the shared broker on 5672 is never touched) and the fake
# Telegram under crashes, broker outages and errors, one scenario at a time, each printing one
# line. `--workspace --test fault_suite` rather than `-p faults`: cargo then resolves the
# dependencies' features as `cargo test --workspace` does and reuses its build, where `-p faults`
# would compile tokio and everything above it a second time.
faults:
	cargo test --workspace --test fault_suite -- --nocapture --test-threads=1

# The system started as the README says, exercised and stopped with SIGTERM.
smoke:
	./scripts/smoke.sh

# docker-compose.yml is valid (no Docker engine is needed for this).
compose-check:
	@if docker compose version >/dev/null 2>&1; then dc="docker compose"; else dc="docker-compose"; fi; \
	TELEGRAM_BOT_TOKEN=check CONTACT_USERNAME=check_user RABBITMQ_PASSWORD=check $$dc -f docker-compose.yml config --quiet && echo "docker-compose.yml is valid"

# The admin panel: ESLint, tsc, generated API types up to date, Vitest component tests, build.
panel-test:
	cd admin-panel && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm test && npm run build

# The panel end to end in headless Chromium against the real api_server, telegram_bot and the
# fake Bot API server (needs /usr/bin/chromium: `apt-get install -y chromium`). Screenshots of
# every page go to admin-panel/e2e/screenshots/.
panel-e2e:
	$(BUILD)
	cd admin-panel && npm run build && npm run e2e

# Mutation testing of the rule files (not part of `make test`: it takes the better part of an
# hour on two cores). cargo-mutants (`cargo install cargo-mutants --locked`) changes one
# operator or body at a time in bookings.rs, deliveries.rs and reminders.rs, in a copy of the
# tree, and runs core_logic's domain tests against each; a mutant the tests do not catch is
# "missed". Results in mutants.out/ (missed.txt, caught.txt...); the figures and the reasons
# for the survivors left are in docs/decisions.md.
MUTATED = --file core_logic/src/bookings.rs --file 'core_logic/src/deliveries/*.rs' --file core_logic/src/reminders.rs
# One target directory for every mutant and every run (beside, not in, the main one, which
# `cargo test` may be using), so the dependencies are built once.
mutants:
	CARGO_TARGET_DIR=$(CURDIR)/target/mutants-build \
	cargo mutants --package core_logic $(MUTATED) --jobs 1 --profile mutants -- --test domain

# The benchmarks of docs/benchmarks.md: every measure of issue 11 on the release binaries beside
# its bare ceiling, medians of 3, printed as a Markdown table (about 10 minutes; not part of
# `make test`). RabbitMQ must be reachable (RABBITMQ_URL or 127.0.0.1:5672). BENCH_ARGS passes
# options, e.g. `make bench BENCH_ARGS="--runs 1 --only calendar"`. One release build of the
# whole workspace serves the bench and the three services (test_support finds them there).
bench:
	cargo build --release --workspace --bins
	"$${CARGO_TARGET_DIR:-target}/release/bench" $(BENCH_ARGS)
