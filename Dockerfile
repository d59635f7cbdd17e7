# syntax=docker/dockerfile:1
# LeadRelay: one image for both Railway services (web: IngestAPI, worker: Worker) plus leadctl.
#   docker build -t leadrelay .
#   docker run --rm -p 8080:8080 -e DATABASE_URL=… -e REDIS_URL=… -e LEADRELAY_SECRET_KEY=… leadrelay
# The start command picks the process: `/app/IngestAPI serve` (default), `/app/Worker`, `/app/leadctl …`.

# The official Swift image on Debian 12 (bookworm), matching the runtime stage's distribution. 6.3 is
# the toolchain the project is built and tested with; Package.swift needs at least 6.2
# (`swift:6.2-bookworm` also exists).
ARG SWIFT_IMAGE=swift:6.3-bookworm

# ---- build -------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build

# hiredis headers and pkg-config for the CHiredis system library target; jemalloc, which IngestAPI
# and Worker allocate with (Package.swift); binutils for strip.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends libhiredis-dev libjemalloc-dev pkg-config binutils \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Dependencies first: this layer is reused until Package.swift (or a local Package.resolved) changes.
COPY Package.* ./
RUN swift package resolve

COPY . .

# Release binaries with the Swift runtime linked in, so the runtime image needs no Swift toolchain.
RUN swift build -c release --static-swift-stdlib --product IngestAPI \
    && swift build -c release --static-swift-stdlib --product Worker \
    && swift build -c release --static-swift-stdlib --product leadctl

# DWARF is dropped (about 70 MB per binary); the symbol table stays, so crash backtraces keep names.
WORKDIR /staging
RUN bin="$(swift build --package-path /build -c release --show-bin-path)" \
    && cp "$bin/IngestAPI" "$bin/Worker" "$bin/leadctl" ./ \
    && strip --strip-debug IngestAPI Worker leadctl \
    && find -L "$bin" -maxdepth 1 -name '*.resources' -exec cp -Ra {} ./ \; \
    && cp -R /build/migrations ./migrations \
    && chmod -R a+rX ./

# ---- runtime -----------------------------------------------------------------------------------
FROM debian:bookworm-slim

# What the static-stdlib binaries still load (ldd): libhiredis.so.0.14, libjemalloc.so.2, libstdc++.so.6,
# libz.so.1, plus libgcc_s/libm/libc from the base image. No libcurl/libxml2 (FoundationNetworking/XML unused).
# CA certificates for TLS to CRMs, Meta/monday APIs and managed databases; tzdata for tenant time zones.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -q \
    && apt-get install -y -q --no-install-recommends \
        libhiredis0.14 libjemalloc2 libstdc++6 zlib1g ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin leadrelay

WORKDIR /app
COPY --from=build --chown=root:root /staging /app

# Migrations are read from MIGRATIONS_DIR (absolute, so leadctl works from any directory).
ENV PATH="/app:${PATH}" \
    MIGRATIONS_DIR=/app/migrations \
    HOST=0.0.0.0 \
    PORT=8080

USER leadrelay:leadrelay

# 8080: IngestAPI (PORT); 9090: the worker's /health and /metrics (METRICS_PORT).
EXPOSE 8080 9090

CMD ["/app/IngestAPI", "serve"]
