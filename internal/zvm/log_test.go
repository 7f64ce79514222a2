package zvm

import (
	"github.com/go-kit/log"

	"github.com/zerto-exporter/zerto_exporter/internal/testutil"
)

func newLogger(w *testutil.SyncBuffer) log.Logger { return log.NewLogfmtLogger(w) }
