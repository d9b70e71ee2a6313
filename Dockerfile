# The care-episode worker (CMD), and with another command the intake, its subscription set-up and the
# codec server. Node 24 runs the TypeScript sources as they are (type stripping). Every folder the
# entry points import at run time is copied: test/container/image-contents.test.ts checks it.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Workers replay each other's histories: the same zone on every host (worker/worker.ts `pinWorkerTimeZone` sets it too, for every worker).
ENV TZ=UTC
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY domain ./domain
COPY platform ./platform
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY intake ./intake
COPY fhir-profiles ./fhir-profiles
USER node
CMD ["node", "worker/main.ts"]
