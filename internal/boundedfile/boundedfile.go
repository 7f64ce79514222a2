// Package boundedfile reads the small files the exporter is pointed at (secrets, CA bundles, the
// config file) only when they are regular files within a size bound, so that a path to a device
// (/dev/zero), a FIFO or a huge file is an error rather than an endless read.
package boundedfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/alecthomas/units"
)

// Bounds of the files the exporter reads.
const (
	MaxSecret = 64 << 10 // a password or client secret file
	MaxCA     = 1 << 20  // a PEM bundle of CA certificates
	MaxConfig = 1 << 20  // the --config.file
)

// ErrNotRegular and ErrTooLarge say why a file was refused.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("larger than allowed")
)

// Check returns an error unless path names a regular file (after symbolic links, as Kubernetes
// mounts secrets) of at most limit bytes.
func Check(path string, limit int64) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return checkInfo(fi, limit)
}

func checkInfo(fi fs.FileInfo, limit int64) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w (%s)", ErrNotRegular, fi.Mode().Type())
	}
	if fi.Size() > limit {
		return tooLarge(limit)
	}
	return nil
}

func tooLarge(limit int64) error {
	return fmt.Errorf("%w: at most %s", ErrTooLarge, units.Base2Bytes(limit))
}

// Read returns the content of path if it is a regular file of at most limit bytes. A file that
// grows past limit while it is read is refused too.
func Read(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkInfo(fi, limit); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(limit)
	}
	return b, nil
}
