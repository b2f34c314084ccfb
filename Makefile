# Bridge — the two commands that matter: `make run` and `make test`. `make help` lists the rest.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

GO        ?= go
# The Go toolchain every target uses: go1.27.3, which the go command fetches once from the module
# proxy (about 76 MB). This machine's own Go (1.26.8) has standard-library vulnerabilities that
# Bridge's code reaches (govulncheck: net/http, crypto/tls, crypto/x509, html/template), fixed in
# later releases; go1.27.3 is the release the proxy serves here. The machine's go env sets
# GOTOOLCHAIN=local, so go.mod's go line alone would not switch it.
export GOTOOLCHAIN := go1.27.3
BIN       := $(CURDIR)/bin/bridge
NEO4J     := $(CURDIR)/neo4j/neo4j.sh
RUN_HOME  := $(CURDIR)/.local/neo4j/run
OIDC      := $(CURDIR)/oidc/oidc.sh
OIDC_HOME := $(CURDIR)/.local/oidc/run
# The port of the `make run` sign-in provider (Dex, loopback only).
OIDC_RUN_PORT ?= 5556
# The port of the `make run` Neo4j (loopback only).
NEO4J_RUN_PORT ?= 7687
# Demo people that `make run` generates (deterministic: the same seed gives the same people).
DEMO_PEOPLE ?= 1000
DEMO_SEED ?= 1
export BRIDGE_BIN := $(BIN)

GO_FILES = $(shell find . -name '*.go' -not -path './.local/*' -not -path './bin/*')
# What `make generate` writes; `make check-generated` fails when regenerating changes any of it.
GENERATED = graph/generated graph/model $(wildcard graph/*.resolvers.go)

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

.PHONY: toolchain
toolchain: ## print the Go toolchain the targets use (GOTOOLCHAIN above)
	@$(GO) version

.PHONY: install
install: ## fetch the Go modules, the Neo4j server (Maven Central) and build the local sign-in provider (Dex)
	$(GO) mod download
	$(NEO4J) install
	$(OIDC) install

.PHONY: build
build: ## build bin/bridge
	$(GO) build -o $(BIN) ./cmd/bridge

.PHONY: generate
generate: ## regenerate the GraphQL code from schema/graphql (gqlgen)
	$(GO) tool gqlgen generate

.PHONY: check-generated
check-generated: ## fail when regenerating the GraphQL code changes anything
	@before=$$(find $(GENERATED) -type f | sort | xargs sha256sum); \
	$(GO) tool gqlgen generate; \
	after=$$(find $(GENERATED) -type f | sort | xargs sha256sum); \
	if [ "$$before" != "$$after" ]; then \
	  echo "generated code was out of date; run 'make generate' and commit the result:"; \
	  git --no-pager diff --stat -- $(GENERATED) || true; exit 1; \
	fi; echo "generated code is up to date"

.PHONY: lint
lint: ## gofmt, go vet and staticcheck (pinned in go.mod as a tool)
	@bad=$$(gofmt -l $(GO_FILES)); if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

.PHONY: vulncheck
vulncheck: ## govulncheck (pinned) against the Go vulnerability database from the module proxy (tools/vulncheck.sh)
	@GO=$(GO) tools/vulncheck.sh

.PHONY: test
test: lint check-generated vulncheck build ## everything CI checks: lint, generated code, all tests against a throwaway Neo4j and Dex
	@$(NEO4J) install
	@$(OIDC) install
	@$(MAKE) chromium
ifdef NEO4J_URI
	@echo "using the Neo4j at $(NEO4J_URI) (NEO4J_URI is set; starting none)"
	@$(OIDC) throwaway $(MAKE) go-test
else
	@$(NEO4J) throwaway $(OIDC) throwaway $(MAKE) go-test
endif
	@$(MAKE) backup-drill BRIDGE_DRILL_PEOPLE=300

.PHONY: backup-drill
backup-drill: build ## the backup and restore drill, timed, on a Neo4j of its own (it stops and starts it): BRIDGE_DRILL_PEOPLE (100,000) demo people, dump, erasures after the backup, load into a fresh home, migrate, reapply-erasures, exports compared
	@mkdir -p .local
	@NEO4J_HEAP=$${NEO4J_HEAP:-2g} NEO4J_PAGECACHE=$${NEO4J_PAGECACHE:-2g} BRIDGE_BENCH_PEOPLE=$${BRIDGE_DRILL_PEOPLE:-100000} \
	  $(NEO4J) throwaway $(GO) test -tags drill -run '^TestBackupDrill$$' -count=1 -timeout 60m -v ./cmd/bridge 2>&1 | tee .local/drill.txt | grep -E '^(drill|--- |ok|FAIL|panic)|loaded|drill_test.go'; \
	  exit $${PIPESTATUS[0]}

# The packages whose tests need neither Neo4j nor Dex: those whose tests do not import
# internal/testneo4j (every test that needs the database gets it from there)
# or internal/testoidc (the web sign-in's and the browser's tests against Dex).
UNIT_PKGS = $(shell $(GO) list -test -f '{{if .ForTest}}{{.ForTest}}{{range .Deps}} {{.}}{{end}}{{end}}' ./... | \
  awk '{ db = 0; for (i = 2; i <= NF; i++) if ($$i ~ /\/internal\/test(neo4j|oidc)$$/) db = 1; if (db) skip[$$1] = 1; else unit[$$1] = 1 } \
       END { for (p in unit) if (!(p in skip)) print p }' | sort)

.PHONY: test-unit
test-unit: ## the pure packages (no Neo4j, no Dex) with -race, in seconds; `make test` runs everything
	@env -u NEO4J_URI -u NEO4J_USER -u NEO4J_PASSWORD $(GO) test -race $(UNIT_PKGS)

# The packages whose tests use the database: everything else.
DB_PKGS = $(filter-out $(UNIT_PKGS),$(shell $(GO) list ./...))

.PHONY: chromium
chromium: ## install Debian's chromium for the browser tests (internal/browsertest) when it is missing (as root, as CI runs)
	@if [ -x "$${BRIDGE_CHROMIUM:-/usr/bin/chromium}" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then echo "chromium is missing: run 'sudo apt-get install -y chromium' (or set BRIDGE_CHROMIUM to a Chromium binary)"; exit 1; fi; \
	echo "installing Debian's chromium for the browser tests"; \
	DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

.PHONY: go-test
# The quality tests load 1,000 demo people each and score what search and matching find among
# them: beside other tests' people they would measure those too, and other tests' pages would
# fill with theirs. Each runs last, on a throwaway Neo4j of its own.
QUALITY_TESTS = ^(TestSearchQuality|TestMatchQuality)$$

go-test: # go test -race with a Neo4j given by NEO4J_URI (use `make test`)
	@mkdir -p .local
	@echo "go test -race against $$NEO4J_URI (one package at a time; the packages without the database beside them)"
	@unit="$(UNIT_PKGS)"; db="$(DB_PKGS)"; \
	  $(GO) test -race -count=1 -v $$unit >.local/test-unit.log 2>&1 & pid=$$!; \
	  dbrc=0; $(GO) test -race -count=1 -p 1 -v -skip '$(QUALITY_TESTS)' $$db 2>&1 | tee .local/test.log | grep -vE '^=== (RUN|PAUSE|CONT|NAME)' || dbrc=$$?; \
	  unitrc=0; wait $$pid || unitrc=$$?; \
	  grep -vE '^=== (RUN|PAUSE|CONT|NAME)' .local/test-unit.log || true; cat .local/test-unit.log >>.local/test.log; \
	  qrc=0; for t in internal/searchquality:TestSearchQuality cmd/bridge:TestMatchQuality; do \
	    echo "$${t#*:} on a Neo4j of its own"; \
	    $(NEO4J) throwaway $(GO) test -count=1 -v -run "^$${t#*:}$$" ./$${t%%:*} 2>&1 | tee -a .local/test.log | grep -vE '^=== (RUN|PAUSE|CONT|NAME)|^neo4j:' || qrc=$$?; \
	  done; \
	  [ $$dbrc -eq 0 ] && [ $$unitrc -eq 0 ] && [ $$qrc -eq 0 ]
	@if grep -q -- '--- SKIP' .local/test.log; then echo "FAIL: some tests were skipped"; exit 1; fi
	@echo "tests passed: $$(grep -c -- '--- PASS' .local/test.log) passed, $$(grep -c -- '--- SKIP' .local/test.log || true) skipped"

.PHONY: run
run: build ## start Neo4j (kept in .local/neo4j/run), migrate, seed, and serve the web app on http://127.0.0.1:8080/ (GraphiQL at /graphiql)
	@$(OIDC) install
	@$(OIDC) start $(OIDC_HOME) $(OIDC_RUN_PORT)
ifdef NEO4J_URI
	@echo "using the Neo4j at $(NEO4J_URI) (NEO4J_URI is set; starting none)"
	$(BIN) waitdb
	$(BIN) migrate
	$(BIN) seed --demo-people $(DEMO_PEOPLE) --seed $(DEMO_SEED)
	@echo "web app: http://$${BRIDGE_ADDR:-127.0.0.1:8080}/   GraphiQL: http://$${BRIDGE_ADDR:-127.0.0.1:8080}/graphiql"
	@echo "sign in on Dex's page as member@example.org / demo-member, expert@example.org / demo-expert, secretariat@example.org / demo-secretariat or admin@example.org / demo-admin (oidc/README.md)"
	eval "$$($(OIDC) env $(OIDC_RUN_PORT))"; BRIDGE_ENV=$${BRIDGE_ENV:-development} BRIDGE_METRICS_ADDR=$${BRIDGE_METRICS_ADDR:-127.0.0.1:9464} SECRETARIAT_EMAIL=$${SECRETARIAT_EMAIL:-secretariat@example.org} exec $(BIN) serve
else
	@$(NEO4J) install
	@mkdir -p $(RUN_HOME); [ -s $(RUN_HOME)/password ] || (umask 077; echo "dev-$$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" > $(RUN_HOME)/password)
	@$(NEO4J) start $(RUN_HOME) $(NEO4J_RUN_PORT) "$$(cat $(RUN_HOME)/password)"
	@export NEO4J_URI=bolt://127.0.0.1:$(NEO4J_RUN_PORT) NEO4J_USER=neo4j NEO4J_PASSWORD="$$(cat $(RUN_HOME)/password)"; \
	  $(BIN) migrate && $(BIN) seed --demo-people $(DEMO_PEOPLE) --seed $(DEMO_SEED) && \
	  echo "Neo4j and Dex keep running after Ctrl-C; 'make stop' stops them; 'make token ROLE=member' signs in" && \
	  echo "web app: http://$${BRIDGE_ADDR:-127.0.0.1:8080}/   GraphiQL: http://$${BRIDGE_ADDR:-127.0.0.1:8080}/graphiql" && \
	  echo "sign in on Dex's page as member@example.org / demo-member, expert@example.org / demo-expert, secretariat@example.org / demo-secretariat or admin@example.org / demo-admin (oidc/README.md)" && \
	  eval "$$($(OIDC) env $(OIDC_RUN_PORT))" && \
	  BRIDGE_ENV=$${BRIDGE_ENV:-development} BRIDGE_METRICS_ADDR=$${BRIDGE_METRICS_ADDR:-127.0.0.1:9464} SECRETARIAT_EMAIL=$${SECRETARIAT_EMAIL:-secretariat@example.org} exec $(BIN) serve
endif

.PHONY: seed-bench
seed-bench: build ## load N=100000 demo people into a throwaway Neo4j; print the time, rate and store size
	@NEO4J_HEAP=$${NEO4J_HEAP:-2g} NEO4J_PAGECACHE=$${NEO4J_PAGECACHE:-2g} $(NEO4J) throwaway bash -c '\
	  $(BIN) migrate >/dev/null && \
	  /usr/bin/env time -f "seed: wall %es, max RSS of bridge %MkB" $(BIN) seed --demo-people $${N:-100000} --seed 1 --batch 5000 && \
	  echo "store size: $$(du -sh "$$BRIDGE_NEO4J_HOME/data/databases/neo4j" | cut -f1) (database), $$(du -sh "$$BRIDGE_NEO4J_HOME/data/transactions/neo4j" | cut -f1) (transaction logs)"'

.PHONY: bench
bench: build ## read benchmarks (peers, people, nested, paths) at 10,000 and 100,000 demo people, each on a fresh Neo4j
	@mkdir -p .local
	@for n in $${BENCH_SIZES:-10000 100000}; do \
	  echo "== $$n demo people"; \
	  NEO4J_HEAP=$${NEO4J_HEAP:-2g} NEO4J_PAGECACHE=$${NEO4J_PAGECACHE:-2g} BRIDGE_BENCH_PEOPLE=$$n \
	    $(NEO4J) throwaway $(GO) test -run '^$$' -bench "$${BENCH:-.}" -benchtime $${BENCHTIME:-20x} -timeout 60m ./cmd/bridge \
	    | tee .local/bench-$$n.txt | grep -E '^(Benchmark|ok|FAIL|---)|loaded'; \
	done

.PHONY: load
load: build ## load runs (issue 16) on a fresh Neo4j with BRIDGE_LOAD_PEOPLE (100,000) demo people: baseline (BRIDGE_LOAD_RATE/s for BRIDGE_LOAD_SECONDS), 5x overload, a 10 s cut of Neo4j, and a soak when BRIDGE_LOAD_SOAK=30m; output in .local/load.txt
	@mkdir -p .local
	@NEO4J_HEAP=$${NEO4J_HEAP:-2g} NEO4J_PAGECACHE=$${NEO4J_PAGECACHE:-2g} BRIDGE_BENCH_PEOPLE=$${BRIDGE_LOAD_PEOPLE:-100000} \
	  $(NEO4J) throwaway $(GO) test -tags load -run '^TestLoadLong$$' -count=1 -timeout 4h -v ./cmd/bridge 2>&1 | tee .local/load.txt | grep -E '^(load |--- |ok|FAIL)|loaded'

.PHONY: bench-ownwork
bench-ownwork: ## Bridge's own work per read without Neo4j (stores answer from memory): ns/op, B/op, allocs/op of the peer bench's W1 and W2 shapes, with GOGC as `bridge serve` sets it (400)
	@GOGC=$${GOGC:-400} $(GO) test -run '^$$' -bench OwnWork -benchmem -benchtime $${BENCHTIME:-200x} -count $${COUNT:-3} ./graph/

.PHONY: bench-network
bench-network: ## the map of the network's reports (coverage, gaps, bridges) at 100,000 demo people on a fresh Neo4j
	@$(MAKE) bench BENCH_SIZES=$${BENCH_SIZES:-100000} BENCH=Network BENCHTIME=$${BENCHTIME:-5x}

.PHONY: bench-writes
bench-writes: ## the API's writes one at a time at the `make run` size (1,000 demo people), each on its own people: p50 and p99
	@$(MAKE) bench BENCH_SIZES=1000 BENCH=Write BENCHTIME=$${BENCHTIME:-100x}

.PHONY: bench-web
bench-web: ## the web app's search and peers pages at the `make run` size (1,000 demo people): time, bytes, round trips
	@$(MAKE) bench BENCH_SIZES=1000 BENCH=Web BENCHTIME=$${BENCHTIME:-200x}

.PHONY: search-quality
search-quality: ## people search quality: recall@10 and nDCG@10 per language of internal/searchquality's 72 queries on the demo data, on a fresh Neo4j
	@$(NEO4J) throwaway $(GO) test -count=1 -run TestSearchQuality -v ./internal/searchquality | grep -vE '^(=== RUN|PASS$$)'

.PHONY: match-quality
match-quality: build ## match-quality benchmark: planted pairs among demo people (BRIDGE_MATCH_PEOPLE, default 1000) on a throwaway Neo4j: recall@10 and mean rank
	@BRIDGE_MATCH_PEOPLE=$${BRIDGE_MATCH_PEOPLE:-1000} $(NEO4J) throwaway $(GO) test -count=1 -run '^TestMatchQuality$$' -v -timeout 30m ./cmd/bridge \
	  | grep -vE '^=== (RUN|PAUSE|CONT)'

.PHONY: token
token: ## print an access token of a demo user from the `make run` provider: make token ROLE=member|group-member|secretariat|admin
	@$(OIDC) token $${ROLE:?set ROLE=member, group-member, secretariat or admin} $(OIDC_RUN_PORT)

.PHONY: stop
stop: ## stop the `make run` Neo4j and sign-in provider
	@$(NEO4J) stop $(RUN_HOME)
	@$(OIDC) stop $(OIDC_HOME)

.PHONY: reset
reset: stop ## stop the `make run` Neo4j and delete its data
	rm -rf $(RUN_HOME)

.PHONY: neo4j-env
neo4j-env: ## print the variables that reach the `make run` Neo4j (eval "$$(make neo4j-env)")
	@echo "export NEO4J_URI=bolt://127.0.0.1:$(NEO4J_RUN_PORT) NEO4J_USER=neo4j NEO4J_PASSWORD=$$(cat $(RUN_HOME)/password)"

.PHONY: clean
clean: ## remove build output and throwaway test instances (keeps the run data)
	rm -rf bin .local/neo4j/test-* .local/oidc/test-* .local/test.log
