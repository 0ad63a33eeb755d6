# Two commands on a fresh machine: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
CATALOGS := $(wildcard registry/translations/*/LC_MESSAGES/messages.po)

.PHONY: run test bench screenshots install translations i18n-extract clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled catalogs (.mo) are built, not committed.
translations: install $(CATALOGS:.po=.mo)

%.mo: %.po
	$(BIN)/pybabel compile --statistics -i $< -o $@

run: translations
	$(FLASK) init-db
	-$(FLASK) seed-demo
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C stops)"
	$(FLASK) run --host 127.0.0.1 --port 5000

# The whole suite. TEST_DATABASE_URL=postgresql://... runs it on PostgreSQL instead of SQLite.
test: translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The pictures in docs/screenshots/: the role journeys', the audit log's, the search's, the refused registration's
# and the offline attendance states' (a plain test run writes them under test-artifacts/ instead), and the phone
# pages' (the cohort page at 1280 and 360 px, a trainer's home at 360 px; none in a plain run).
screenshots: translations
	JOURNEY_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/browser/test_role_journeys.py \
		tests/browser/test_audit_log.py tests/browser/test_search_as_you_type.py tests/browser/test_form_errors.py \
		tests/browser/test_offline_sync.py tests/browser/test_offline_followups.py tests/browser/test_phone_pages.py \
		-q -p no:cacheprovider

# The national-scale benchmark (bench/national.py): N=10,000 and 100,000 on SQLite and on PostgreSQL (a server
# on 127.0.0.1:5432), about half an hour. More with BENCH_ARGS, e.g. BENCH_ARGS="--sizes 1000000 --requests 50";
# see docs/performance.md. The other benchmarks, the load test and the tools: README.md, "Benchmarks and tools".
bench: translations
	$(BIN)/python -m bench.national $(BENCH_ARGS)

# After changing user-facing strings: refresh the template and the catalogs, then translate.
i18n-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output \
		-o registry/translations/messages.pot .
	$(BIN)/pybabel update -i registry/translations/messages.pot -d registry/translations -N

clean:
	rm -rf $(VENV) .pytest_cache
