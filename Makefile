# qb: the two commands a new user needs are `make run` and `make test`.
GO      ?= go
PKGS    ?= ./...
BENCH   ?= .
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: build test bench lint run fuzz

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/qb ./cmd/qb

# test is what CI runs (.ci/run): vet, then every package under the race detector.
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem $(PKGS)

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet $(PKGS)

# run builds the binary and runs it, rather than `go run`, so Ctrl-C reaches
# qb alone and its exit status is qb's.
run: build
	./bin/qb run
