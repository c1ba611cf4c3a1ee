# One image for every service; docker-compose.yml picks the service with APP.
# Untested here (no Docker engine on the development machines): see README.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build --parallel=2

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# As SERVICE_NODE_OPTIONS in libs/testing/src/node-options.ts, which says why.
ENV NODE_OPTIONS="--max-semi-space-size=8 --expose-gc"
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
# db-setup (docker-compose.yml) runs prepare-db with Node's type stripping: the script and the
# role definitions it imports.
COPY --from=build /app/tools/scripts/package.json /app/tools/scripts/prepare-db.mts ./tools/scripts/
COPY --from=build /app/libs/persistence/src/service-roles.ts ./libs/persistence/src/
ARG APP
ENV APP=${APP}
USER node
CMD ["sh", "-c", "exec node dist/apps/$APP/apps/$APP/src/main.js"]
