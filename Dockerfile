# localaws and the coffee-shop ranker: build on Debian 12, run on a slim Debian 12 image.
#   docker build -t localaws .
#   docker run -p 4566:4566 -v localaws-data:/data localaws
FROM debian:12 AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config libcpp-httplib-dev libsqlite3-dev libssl-dev \
      nlohmann-json3-dev catch2 libpugixml-dev libcli11-dev zlib1g-dev libzstd-dev libsimdjson-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt CMakePresets.json ./
COPY emulator emulator
COPY app app
COPY tests tests
RUN cmake --preset release -DLOCALAWS_BUILD_TESTS=OFF \
    && cmake --build build/release --target localaws ranker \
    && strip build/release/emulator/localaws build/release/app/ranker

FROM debian:12-slim AS runtime
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcpp-httplib0.11 libsqlite3-0 libssl3 libpugixml1v5 zlib1g libzstd1 libsimdjson14 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data localaws \
    && mkdir -p /data && chown localaws /data
COPY --from=build /src/build/release/emulator/localaws /usr/local/bin/localaws
COPY --from=build /src/build/release/app/ranker /usr/local/bin/ranker
COPY fixtures /usr/share/localaws/fixtures
USER localaws
VOLUME /data
EXPOSE 4566
ENV LOCALAWS_HOST=0.0.0.0 LOCALAWS_PORT=4566 LOCALAWS_DATA_DIR=/data
HEALTHCHECK --interval=5s --timeout=2s --start-period=2s --retries=5 \
  CMD curl -fsS http://127.0.0.1:4566/_localaws/health || exit 1
ENTRYPOINT ["localaws"]
