# The care-episode worker. Node 24 runs the TypeScript sources as they are (type stripping).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Workers replay each other's histories: the same zone on every host (worker/main.ts sets it too).
ENV TZ=UTC
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY fhir-profiles ./fhir-profiles
USER node
CMD ["node", "worker/main.ts"]
