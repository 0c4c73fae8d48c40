# cursor-exporter image: Maven build stage, then a JRE-only runtime running as a fixed non-root user.
#   docker build -t cursor-exporter .
#   docker run -p 9464:9464 -v cursor-data:/data cursor-exporter            (demo mode: no key)
#   docker run -p 9464:9464 -v cursor-data:/data -e CURSOR_API_KEY_FILE=/run/secrets/cursor_api_key ...

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first, so that a source change does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
# The build context has no .git, so the commit for cursor_exporter_build_info{revision} comes from the same build
# argument as the image label below (unset: "unknown").
ARG REVISION=unknown
RUN mvn -B -q -DskipTests -Dgit.commit.id="${REVISION}" package

FROM eclipse-temurin:17-jre
# OCI image annotations (https://github.com/opencontainers/image-spec/blob/main/annotations.md); version, revision
# and creation time come from the build (README "Releases"):
#   docker build --build-arg VERSION=0.1.0 --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ) -t cursor-exporter:0.1.0 .
ARG VERSION=unknown
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=""
LABEL org.opencontainers.image.title="cursor-exporter" \
      org.opencontainers.image.description="Prometheus exporter and Grafana datasource backend for Cursor team usage and spend" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre"
# Fixed uid/gid so that volume permissions are predictable across hosts and Kubernetes securityContexts.
RUN groupadd --system --gid 10001 cursor \
 && useradd --system --uid 10001 --gid cursor --home-dir /data --no-create-home --shell /usr/sbin/nologin cursor \
 && mkdir -p /data /app \
 && chown cursor:cursor /data
COPY --from=build /build/target/cursor-exporter.jar /app/cursor-exporter.jar

# Sized for a 256 MiB container (measured, README "Lifecycle"): half of it for the heap, the rest for metaspace,
# threads and SQLite's native page cache; the C1 compiler only and a small code cache save native memory; glibc
# keeps two malloc arenas instead of one per thread. Crash fast on OOM and let the orchestrator restart it.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=45 -XX:MinRAMPercentage=45 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -Xss512k" \
    MALLOC_ARENA_MAX=2 \
    CURSOR_EXPORTER_DATA_DIR=/data \
    CURSOR_EXPORTER_PORT=9464
VOLUME ["/data"]
# 4318: the OTLP receiver (Cursor's OpenTelemetry Export), listening only when CURSOR_EXPORTER_OTLP_TOKEN(_FILE) is set
EXPOSE 9464 4318
USER 10001:10001
WORKDIR /data

# The JRE image has no curl; bash's /dev/tcp is enough for a GET of /healthz (which never needs the token). It asks
# the address the exporter listens on (CURSOR_EXPORTER_BIND_ADDRESS; loopback when that is unset or all interfaces).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "h=${CURSOR_EXPORTER_BIND_ADDRESS:-127.0.0.1}; case \"$h\" in 0.0.0.0|::|'[::]') h=127.0.0.1 ;; esac; h=${h#[}; h=${h%]}; exec 3<>/dev/tcp/$h/${CURSOR_EXPORTER_PORT} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["java", "-jar", "/app/cursor-exporter.jar"]
CMD ["serve"]
