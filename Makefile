# Two commands on a fresh machine: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app portal
PORT   ?= 5000

.PHONY: install run test lint format worker bench-quality browser-test

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# A random secret, written once; never a fixed one.
instance/secret_key: | $(VENV)/.installed
	mkdir -p instance
	umask 077 && $(PY) -c "import secrets; print(secrets.token_hex(32))" > $@

# gunicorn.conf.py warms the app before forking and logs "Serving on http://…" once it accepts requests.
run: install instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	PORTAL_BIND=127.0.0.1:$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py "portal:create_app()"

test: install
	$(VENV)/bin/pytest

# Role journeys in Debian's Chromium (apt-get install chromium fonts-noto-cjk); skipped when it is absent.
browser-test: install
	$(VENV)/bin/pytest tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Background jobs when PORTAL_REDIS_URL is set: plans the scheduler tick once (portal.jobs; a second worker does
# not double it), then one RQ worker that also runs RQ's scheduler (enqueue_at/in). Start N of these on N hosts.
worker: install
	$(FLASK) jobs schedule
	$(VENV)/bin/rq worker --with-scheduler --url $${PORTAL_REDIS_URL:?set PORTAL_REDIS_URL} portal

# The policy-matching evaluator on the dev set, failing below the targets.
bench-quality: install
	$(PY) bench/policy_quality.py --check
