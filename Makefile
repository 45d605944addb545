# Two commands for a fresh machine: `make run` and `make test`. Both build .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SECRET_FILE := instance/secret_key
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2

.PHONY: run test lint audit install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

$(SECRET_FILE):
	mkdir -p instance
	$(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $(SECRET_FILE)

run: $(STAMP) $(SECRET_FILE)
	SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_FILE))}" $(BIN)/flask --app wsgi db upgrade
	SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_FILE))}" $(BIN)/flask --app wsgi seed-demo
	SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_FILE))}" $(BIN)/flask --app wsgi search reindex --if-missing
	@echo "Serving the forum on http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_FILE))}" $(BIN)/gunicorn --workers $(WORKERS) \
		--bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check forum tests config.py wsgi.py

# Static analysis and known-vulnerable dependencies (docs in SECURITY.md): bandit fails on any
# high-severity finding; tools/audit_deps.py runs pip-audit and names what it could not check.
audit: $(STAMP)
	$(BIN)/bandit -q -r forum -lll
	$(BIN)/python tools/audit_deps.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
