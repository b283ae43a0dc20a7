# The two commands of the README: `make run` and `make test`.
.PHONY: run test lint

# Runs the system on its embedded defaults (SQLite file, embedded queue unless RABBITMQ_URL is set).
run:
	cargo build --workspace
	./scripts/run.sh

# Runs every check and test. RabbitMQ must be reachable (RABBITMQ_URL or 127.0.0.1:5672):
# the RabbitMQ tests fail, never skip, without it.
test: lint
	cargo test --workspace --no-fail-fast

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
