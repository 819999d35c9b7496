# The two commands of the README: `make run` and `make test`.
.PHONY: run test lint format bootstrap bench schemas screens

# A development machine: Advisor's settings keep DEBUG off unless told (docs/deploy.md), and
# with it off they need a secret key. `make bench` starts its server with production settings.
export DJANGO_DEBUG ?= 1

bootstrap:
	@scripts/bootstrap

run: bootstrap
	uv run python manage.py migrate --no-input
	uv run python manage.py seed_demo
	@scripts/run

lint: bootstrap
	uv run ruff check .
	uv run ruff format --check .
	uv run lint-imports

format: bootstrap
	uv run ruff check --fix .
	uv run ruff format .

# The JSON Schemas under docs/schemas/, generated from the code (docs/schemas.md).
schemas: bootstrap
	uv run python manage.py schemas

# Tests marked postgres fail on SQLite by design: .ci/run's PostgreSQL pass runs them.
test: lint
	@scripts/ensure-chromium
	@scripts/ensure-lighthouse
	@scripts/ensure-redis
	uv run pytest -m "not postgres"

# Benchmarks, load without loss and the two-instance run against gunicorn, PostgreSQL and
# Redis on this machine; writes docs/performance.md and bench/results/ (about 9 minutes).
# Only this target installs the bench dependency group.
bench: bootstrap
	@scripts/ensure-wrk
	@scripts/ensure-redis
	uv run --locked --group bench python -m bench.run

# Screenshots of the result page, the dashboard and a wizard step at 1280x900 and 390x844 into
# docs/screens/ (shown in the README), from the demo data in a throwaway database.
screens: bootstrap
	@scripts/ensure-chromium
	uv run python scripts/screens.py
