# The image's binary is the one `make build` makes: the build stage runs `make build`, with the
# version stamps `make docker` passes as build arguments (VERSION, REVISION, BRANCH, BUILD_USER,
# BUILD_DATE; each left unset falls back to the Makefile's default). The Go version is go.mod's,
# so that the image and a local build use the same toolchain. TestDockerImage checks both.
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION
ARG REVISION
ARG BRANCH
ARG BUILD_USER
ARG BUILD_DATE
RUN env -u VERSION -u REVISION -u BRANCH -u BUILD_USER -u BUILD_DATE make build BINDIR=/out \
      ${VERSION:+VERSION=$VERSION} ${REVISION:+REVISION=$REVISION} ${BRANCH:+BRANCH=$BRANCH} \
      ${BUILD_USER:+BUILD_USER=$BUILD_USER} ${BUILD_DATE:+BUILD_DATE=$BUILD_DATE}

# Runs as distroless's nonroot user (uid and gid 65532), listens on 9847, and reads its config
# file and secret files from where they are mounted: /etc/zerto_exporter/config and
# /etc/zerto_exporter/secrets by convention (README.md, "Container image").
FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="zerto_exporter" \
      org.opencontainers.image.description="Prometheus exporter for Zerto Virtual Managers" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /out/zerto_exporter /bin/zerto_exporter
# The compliance report command, for a CronJob running this image with
# --entrypoint /bin/zerto_report (deploy/helm: report.enabled).
COPY --from=build /out/zerto_report /bin/zerto_report
USER 65532:65532
EXPOSE 9847
ENTRYPOINT ["/bin/zerto_exporter"]
