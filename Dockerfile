# zkVM proving service: multi-stage build, production dependencies only, non-root.
# Build:  docker build -t zkvm .
# Run:    docker run -p 3000:3000 -e DATABASE_URL=postgres://user:pass@db:5432/zkvm zkvm
#         (without DATABASE_URL it uses the embedded database under /app/.data)

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    ZKVM_DATA_DIR=/app/.data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY prisma ./prisma
COPY package.json ./
# .data: the embedded database; .cache: the generated development SRS (when no .ptau is given).
RUN mkdir -p /app/.data /app/.cache && chown -R node:node /app/.data /app/.cache
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Migrations first (a no-op when the schema is current), then the server.
CMD ["sh", "-c", "node dist/db/migrate-cli.js && exec node dist/main.js"]
