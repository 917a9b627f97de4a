# qb: the two commands a new user needs are `make run` and `make test`.
GO      ?= go
PKGS    ?= ./...
BENCH   ?= .
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: build test bench lint run fuzz mutants mutants-check

# TESTJSON is where `make test` keeps go test's JSON event stream (one line per
# event); .ci/run reads it to list the skipped tests and their reasons.
TESTJSON ?= bin/test.json

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/qb ./cmd/qb

# test is what CI runs (.ci/run): vet, then every package under the race detector.
# gotestsum (a tool in go.mod: `go tool` fetches it from the module proxy) runs
# go test, prints a line per package and the output of each failure, ends with
# "DONE N tests, M skipped, K failures" and exits non-zero when a test fails.
test:
	$(GO) vet $(PKGS)
	@mkdir -p $(dir $(TESTJSON))
	$(GO) tool gotestsum --format pkgname-and-test-fails --format-hide-empty-pkg \
		--hide-summary=skipped --jsonfile $(TESTJSON) -- -race -count=1 $(PKGS)

# mutants applies each hand-written mutant in .ci/mutants.txt in turn to a
# scratch copy of the tree, runs the owning package's tests and reports which
# survive and the kill rate (a developer tool, minutes long; CI does not run
# it). MUTANTS="id-substring ..." picks some. mutants-check only checks that
# every mutant still applies to today's code; CI runs it.
MUTANTS ?=
mutants:
	$(GO) run .ci/mutants.go $(MUTANTS)

mutants-check:
	$(GO) run .ci/mutants.go -check

bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem $(PKGS)

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet $(PKGS)

# run builds the binary and runs it, rather than `go run`, so Ctrl-C reaches
# qb alone and its exit status is qb's.
run: build
	./bin/qb run
