# The care-episode worker. Node 24 runs the TypeScript sources as they are (type stripping).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY fhir-profiles ./fhir-profiles
USER node
CMD ["node", "worker/main.ts"]
