# Fieldflow api and worker image (one image, two commands):
#   api:    node dist/api/main.js   (default CMD)
#   worker: node dist/worker/main.js
# Configured only by environment; see docker-compose.yml.

# --- build -------------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci

COPY . .
# npm run build: tsc -p tsconfig.build.json -> dist/ (dist/api/main.js,
# dist/worker/main.js, ...), then scripts/build-workflow-bundle.ts ->
# dist/workflow-bundle.js + dist/workflow-bundle.json, the workflow bundle the worker
# loads (it never bundles at start; WORKFLOW_BUNDLE_PATH overrides the path).
RUN npm run build \
 && npm run build:web \
 && npm prune --omit=dev

# --- runtime -----------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
# dist/ includes the workflow bundle; fail the image build if it is missing.
COPY --from=build --chown=node:node /app/dist ./dist
RUN test -s dist/workflow-bundle.js && test -s dist/workflow-bundle.json
# SQL migrations are read at runtime from db/migrations relative to the app root.
COPY --from=build --chown=node:node /app/db/migrations ./db/migrations
# The web console's build, served by the api at /.
COPY --from=build --chown=node:node /app/web/dist ./web/dist

# DATA_DIR for documents. Created here, owned by `node`, so a fresh named
# volume mounted at /data inherits that ownership.
RUN mkdir -p /data && chown node:node /data
ENV DATA_DIR=/data

USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
