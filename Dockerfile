# The Enlace national node (and its tools: enlace keys, token, send).
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm install --no-save tsx
COPY proto ./proto
COPY generated ./generated
COPY keys ./keys
COPY services ./services
COPY cli ./cli
COPY bin ./bin
COPY scripts/lib ./scripts/lib
USER node
ENV ENLACE_GRPC_LISTEN=0.0.0.0:50051 ENLACE_LOG_LEVEL=info
EXPOSE 50051
ENTRYPOINT ["node", "bin/enlace.js"]
CMD ["node"]
