# One image for all six services; docker-compose.yml picks the app with `command`.
# Debian (bookworm) base so ffmpeg, espeak-ng and Python match the local stack.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY scripts scripts
COPY schemas schemas
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY libs/transcription/python/requirements.txt /tmp/requirements.txt
RUN python3 -m venv /opt/whisper && /opt/whisper/bin/pip install --no-cache-dir -r /tmp/requirements.txt
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/package.json package.json
COPY schemas schemas
COPY libs/transcription/python libs/transcription/python
# TF_ENV=production: the apps refuse to start without their secrets, addresses and credentials.
ENV NODE_ENV=production TF_ENV=production TF_HTTP_HOST=0.0.0.0 TF_SCHEMA_DIR=/app/schemas TF_WHISPER_PYTHON=/opt/whisper/bin/python
USER node
CMD ["node", "dist/apps/gateway/src/main.js"]
