# Chorus: `make run` starts the demo; `make test` runs every test.
GO      ?= go
BIN     := bin/chorus
NPM     := cd frontend && npm

# PostgreSQL tests run when TEST_DATABASE_URL is set (CI sets it).
export TEST_DATABASE_URL

.PHONY: run build frontend binary test test-go test-frontend test-e2e lint fuzz clean

## run: build everything and start the demo on the embedded SQLite database
run: build
	CHORUS_LOG_FORMAT=text ./$(BIN) demo

## build: the frontend, then the binary that embeds it
build: frontend binary

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	$(NPM) ci --no-audit --no-fund

frontend: frontend/node_modules/.package-lock.json
	$(NPM) run build

binary:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/chorus

## test: Go (SQLite, and PostgreSQL when TEST_DATABASE_URL is set), frontend unit tests, browser tests
test: lint test-go test-frontend test-e2e

test-go:
	$(GO) test -count=1 -timeout 30m ./...

test-frontend: frontend/node_modules/.package-lock.json
	$(NPM) run check
	$(NPM) test

test-e2e: build
	$(NPM) run e2e

## lint: gofmt, go vet and go mod tidy leave nothing to change
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './frontend/node_modules/*')); \
	  if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff

## fuzz: run every fuzz target for FUZZTIME each (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./api/ -run '^$$' -fuzz FuzzDecodeStrict -fuzztime $(FUZZTIME)
	$(GO) test ./api/ -run '^$$' -fuzz FuzzDecodeRequests -fuzztime $(FUZZTIME)

clean:
	rm -rf bin frontend/node_modules
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete
