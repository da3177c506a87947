# citisa — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
VENV_STAMP := .venv/.installed-$(shell sha1sum requirements.lock 2>/dev/null | cut -c1-12)
# Tests never need a real secret; production refuses to start without one.
TEST_ENV := SECRET_KEY=test-only-not-secret DJANGO_SETTINGS_MODULE=citisa.settings

.PHONY: run test install system-packages lint pytest bench lock clean

run: install
	scripts/run.sh

test: install lint pytest

install: system-packages $(VENV_STAMP)

system-packages:
	@scripts/system-packages.sh

$(VENV_STAMP): requirements.lock
	@test -x $(PY) || python3 -m venv .venv
	@rm -f .venv/.installed-*
	.venv/bin/pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	.venv/bin/lint-imports
	SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  DJANGO_SETTINGS_MODULE=citisa.settings_production \
	  $(PY) manage.py check --deploy --fail-level WARNING

pytest:
	$(TEST_ENV) .venv/bin/pytest $(PYTEST_ARGS)

bench: install
	@failed=""; for b in bench/bench_*.py; do echo "== $$b"; SECRET_KEY=bench-only $(PY) $$b || failed="$$failed $$b"; done; \
	  if [ -n "$$failed" ]; then echo "missed a target or failed:$$failed"; exit 1; fi

# Re-pin every dependency after editing pyproject.toml.
lock:
	.venv/bin/pip-compile -q --extra dev --generate-hashes --no-strip-extras --allow-unsafe \
	  -o requirements.lock pyproject.toml

clean:
	rm -rf var/test-artifacts var/test-citisa.sqlite3*
