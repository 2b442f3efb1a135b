# cprgraph: `make run` serves GraphiQL with demo data; `make test` runs every
# test against a real PostgreSQL (a private cluster in .pgdata when
# DATABASE_URL is unset).

export PATH := $(PATH):/usr/local/go/bin

.PHONY: run test generate check-generate lint http-audit bench faulttest

# run builds the server into bin/ (the first build downloads and compiles
# every module: one to two minutes, said before it starts) and runs it with
# the demo; Ctrl-C shuts it down gracefully.
run:
	@echo "make run: building cprgraph into bin/cprgraph (the first build downloads and compiles the dependencies: 1-2 minutes; later builds take seconds)..."
	@go build -o bin/cprgraph .
	@echo "make run: built. Starting the server with the demo (Ctrl-C stops it): bin/cprgraph serve -demo"
	@bin/cprgraph serve -demo

test:
	go vet ./...
	go test -count=1 -timeout 30m ./...

generate:
	go generate ./...

# check-generate fails when the committed generated code (gqlgen's, the
# printed schema) is stale.
check-generate: generate
	git diff --exit-code -- graph/ schema/
	test -z "$$(git status --porcelain -- graph/ schema/)"

lint:
	test -z "$$(gofmt -l .)"

# http-audit runs the graphql-http audit suite (the GraphQL-over-HTTP spec)
# against a test server; any MUST failure fails it.
http-audit:
	npm ci --prefix tools/graphql-http-audit --no-audit --no-fund
	CPRGRAPH_REQUIRE_HTTP_AUDIT=1 go test -count=1 -run TestGraphQLOverHTTPAudit -v ./e2e/

# bench runs the benchmark harness (bench/; results and commands in
# docs/performance.md): a fresh 1M-person database on its own durable
# cluster (.pgdata-bench), cprgraph against PostGraphile v5 and pgbench,
# about 9 minutes. BENCH_PERSONS,
# BENCH_DURATION, ... override its defaults (go run ./bench -h). Not part of
# test or CI.
bench:
	go run ./bench

# faulttest puts load on a server while PostgreSQL restarts, crashes and the
# server is killed, and reports outage time, refusals by code and audit rows
# (tools/faulttest; the report is in docs/operations.md), then crashes
# PostgreSQL 5 more times, running audit-verify after each phase. Its own cluster
# (.pgdata-fault), stopped afterwards; loopback only; about two minutes.
faulttest:
	go run ./tools/faulttest
