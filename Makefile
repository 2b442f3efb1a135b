# cprgraph: `make run` serves GraphiQL with demo data; `make test` runs every
# test against a real PostgreSQL (a private cluster in .pgdata when
# DATABASE_URL is unset).

export PATH := $(PATH):/usr/local/go/bin

.PHONY: run test generate check-generate lint

run:
	go run . serve -demo

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

