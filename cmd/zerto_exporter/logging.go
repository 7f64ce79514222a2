package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/go-kit/log"
	"github.com/go-kit/log/level"
	sloggokit "github.com/tjhop/slog-gokit"
)

// newLogger builds the go-kit logger the exporter uses everywhere, and the slog bridge that
// exporter-toolkit needs, filtering at the same level.
func newLogger(w io.Writer, lvl, format string) (log.Logger, *slog.Logger, error) {
	var l log.Logger
	switch format {
	case "logfmt":
		l = log.NewLogfmtLogger(log.NewSyncWriter(w))
	case "json":
		l = log.NewJSONLogger(log.NewSyncWriter(w))
	default:
		return nil, nil, fmt.Errorf("--log.format: %q is not logfmt or json", format)
	}
	var (
		opt    level.Option
		slvl   = new(slog.LevelVar)
		levels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}
	)
	switch lvl {
	case "debug":
		opt = level.AllowDebug()
	case "info":
		opt = level.AllowInfo()
	case "warn":
		opt = level.AllowWarn()
	case "error":
		opt = level.AllowError()
	default:
		return nil, nil, fmt.Errorf("--log.level: %q is not debug, info, warn or error", lvl)
	}
	slvl.Set(levels[lvl])
	l = level.NewFilter(log.With(l, "ts", log.DefaultTimestampUTC), opt)
	// The caller is added outermost, so it names the line that logged; the slog
	// bridge adds its own caller.
	return log.With(l, "caller", log.DefaultCaller), slog.New(sloggokit.NewGoKitHandler(l, slvl)), nil
}
