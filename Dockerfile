# syntax=docker/dockerfile:1
#
# auth-service image: `docker build -t auth-service .`
# Runs the server by default; the operator CLI is in the same image:
#   docker run --rm auth-service node dist/cli/main.js --help
#
# Nothing secret is baked in: ADMIN_TOKEN, AWS credentials and STORE come from the runtime
# environment (compose, Copilot). Without them STORE=auto picks the embedded store under /app/.data.

# The Node the tests run on: package.json pins it (devDependencies.node) and the infra suite checks
# that this tag names the same version. Debian (glibc), not Alpine: @node-rs/argon2 and
# classic-level ship glibc prebuilds. Override with --build-arg NODE_IMAGE=...
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# ---- build: full install (dev deps for tsc), compile src/ to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the native deps load prebuilt binaries, so no install script is needed (package.json
# "allowScripts" denies them too); this keeps older npm versions from running them either.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc on the image's Node: the `node` devDependency (the tests' runtime) was not installed (--ignore-scripts).
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json

# ---- deps: production dependencies only ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# package.json stays: its "type": "module" makes Node load dist/*.js as ES modules.
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The code stays root-owned (read-only to the app); only the embedded store's data dir is writable.
# 1000:1000 is the base image's `node` user, numeric so orchestrators can verify it is not root.
RUN mkdir -p /app/.data && chown 1000:1000 /app/.data
USER 1000:1000

# 3000: public API (PORT). 3001: internal API (INTERNAL_PORT), never publish it to the internet.
EXPOSE 3000 3001

# No curl in the slim image: Node's fetch does the probe. Liveness only: readiness (/health/ready)
# depends on the store and belongs to the load balancer, not to a restart decision.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Exec form: node is PID 1 and receives SIGTERM itself; Nest's shutdown hooks drain and close.
# --import: OpenTelemetry tracing, which must start before the app loads; it does nothing unless
# OTEL_* variables ask for it (README, Observability).
CMD ["node", "--import", "./dist/tracing/register-tracing.js", "dist/main.js"]
