package main
import (
 _ "github.com/prometheus/client_golang/prometheus"
 _ "github.com/prometheus/common/version"
 _ "github.com/prometheus/exporter-toolkit/web"
 _ "github.com/alecthomas/kingpin/v2"
 _ "github.com/go-kit/log"
 _ "github.com/tjhop/slog-gokit"
 _ "github.com/vmware/govmomi"
 _ "go.yaml.in/yaml/v3"
 _ "golang.org/x/sync/singleflight"
)
func main(){}
