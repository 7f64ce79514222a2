# Multi-stage build with the same command as `make build`. It cannot be built on the project's CI
# machines (no Docker engine), so it stays this simple.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN make build

FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="zerto_exporter" \
      org.opencontainers.image.description="Prometheus exporter for Zerto Virtual Managers"
COPY --from=build /src/zerto_exporter /bin/zerto_exporter
USER nonroot:nonroot
EXPOSE 9847
ENTRYPOINT ["/bin/zerto_exporter"]
