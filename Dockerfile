# syntax=docker/dockerfile:1
#
# Chorus container image: one static `chorus` binary with the web app embedded.
#
#   docker build -t chorus .
#   docker run -p 8080:8080 -v chorus-data:/data chorus          # SQLite in /data
#
# See docs/operations.md for configuration, TLS, backups and upgrades.

# ---------------------------------------------------------------------------
# 1. The web app. The Go build embeds frontend/dist, so this stage runs first.
# ---------------------------------------------------------------------------
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
# Dependencies first: this layer is reused until package*.json change.
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# ---------------------------------------------------------------------------
# 2. The binary. Pure Go (SQLite is modernc.org), so CGO is off and the
#    result runs on an image with no C library.
# ---------------------------------------------------------------------------
FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
# .dockerignore keeps any locally built dist/ out of the context; use the
# one built above.
COPY --from=frontend /src/frontend/dist ./frontend/dist
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/chorus ./cmd/chorus
# The runtime image has no shell to create directories with: make /data here
# so it can be copied with the right owner. A named volume mounted on /data
# starts as a copy of it, so it is writable by the non-root user.
RUN mkdir -p /out/data

# ---------------------------------------------------------------------------
# 3. Runtime.
#
# Why distroless/static and not debian:bookworm-slim: the binary is static and
# needs nothing from the OS except CA certificates (for PostgreSQL over TLS),
# time zone data and a passwd entry for the non-root user — which is exactly
# what distroless/static carries. No shell, no package manager, no libc: far
# fewer packages to patch and nothing for an intruder to work with. The cost is
# that there is no shell for `docker exec … sh`; health checks use
# `/chorus healthcheck` instead of curl, and debugging is done with
# `docker compose exec chorus /chorus …` or from a sidecar container.
# ---------------------------------------------------------------------------
FROM gcr.io/distroless/static-debian12:nonroot

# 65532 is the "nonroot" user of distroless images.
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build /out/chorus /chorus

# The default database is the relative path data/chorus.db: with / as the
# working directory it is /data/chorus.db, inside the volume. DATABASE_URL is
# deliberately not set here; set it to a postgres:// URL to use PostgreSQL.
WORKDIR /
USER 65532:65532
VOLUME /data
EXPOSE 8080

# `chorus serve` drains requests and closes websockets on SIGTERM within
# CHORUS_SHUTDOWN_TIMEOUT (15s by default). Give the container longer than
# that before it is killed: `docker run --stop-timeout 30`, or
# `stop_grace_period: 30s` in compose.
STOPSIGNAL SIGTERM

ENTRYPOINT ["/chorus"]
CMD ["serve"]
