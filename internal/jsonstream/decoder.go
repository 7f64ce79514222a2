// Package jsonstream reads JSON from a stream without reflection, for the ZVM's big lists: a
// 10,000-VM /v1/vms is 20 MB, and encoding/json's reflective decoder, which scans every byte
// twice, spent more CPU on it than everything else in a refresh together.
//
// It accepts exactly what encoding/json's Decoder accepts when it streams a list element by
// element, and decodes to the same values (keys match exactly or by bytes.EqualFold, invalid
// UTF-8 becomes U+FFFD, null leaves scalars alone, the last of duplicate keys wins, a value of the
// wrong type is an error only once the rest of the value proved well-formed); the zvm package's
// differential tests and fuzz targets hold it to that. Callers write one method per type that
// switches on the key; see the zvm package's decode_stream.go.
package jsonstream

import (
	"fmt"
	"io"
	"iter"
	"strconv"
)

// MaxDepth is the deepest nesting accepted, counting every level from the top. encoding/json's
// Decoder allows 10,000 levels inside each element of a list it streams, which is 10,001 with the
// list's own; a value that is not such a list may therefore be one level deeper than json.Valid
// allows.
const MaxDepth = 10001

// maxEmptyReads is how many reads may return nothing before the reader is taken to be stuck, as
// in bufio.
const maxEmptyReads = 100

// A Decoder reads one JSON value from r, in the order the caller asks for its parts. The first
// error sticks: every later read returns a zero value and Err reports it.
type Decoder struct {
	r        io.Reader
	buf      []byte // buf[pos:end] is unread input
	pos, end int
	off      int64 // stream offset of buf[0]
	eof      bool  // r reported io.EOF
	started  bool  // a byte of a value was seen
	err      error // syntax, truncation or reading: stops decoding
	mismatch error // the first *TypeError: decoding goes on, to check the syntax of the rest
	readErr  error // returned by r together with data, reported once the data is used
	depth    int
	key      []byte // the last object key, unescaped
	scratch  []byte // unescaped string values
	skip     []byte // the containers Skip is inside
	interned map[string]string
}

const initialBuffer = 64 << 10

// NewDecoder returns a Decoder reading from r through a 64 KiB buffer that grows only for a
// single token longer than that.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: r, buf: make([]byte, initialBuffer)}
}

// Err returns the first error: io.EOF when the input held no value at all, an error wrapping
// io.ErrUnexpectedEOF when it ended inside one, a *SyntaxError, the reader's error, or else the
// first *TypeError. As in encoding/json, a value of the wrong type does not stop decoding, so
// that a syntax error or truncation after it is what Err reports.
func (d *Decoder) Err() error {
	if d.err != nil {
		return d.err
	}
	return d.mismatch
}

// SyntaxError is malformed JSON.
type SyntaxError struct {
	Msg    string
	Offset int64 // of the offending byte
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s at offset %d", e.Msg, e.Offset) }

// TypeError is well-formed JSON of the wrong kind for its destination.
type TypeError struct {
	Key    string // the innermost object key read before it, if any
	Want   string
	Got    string
	Offset int64
}

func (e *TypeError) Error() string {
	field := ""
	if e.Key != "" {
		field = fmt.Sprintf("field %q: ", e.Key)
	}
	return fmt.Sprintf("%swant %s, got %s at offset %d", field, e.Want, e.Got, e.Offset)
}

func (d *Decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *Decoder) syntax(format string, args ...any) {
	d.fail(&SyntaxError{Msg: fmt.Sprintf(format, args...), Offset: d.off + int64(d.pos)})
}

// invalid reports the byte at d.pos+i as unexpected, or the end of input there.
func (d *Decoder) invalid(i int, context string) {
	if d.pos+i >= d.end {
		d.truncated()
		return
	}
	d.fail(&SyntaxError{Msg: fmt.Sprintf("invalid character %s %s", quoteChar(d.buf[d.pos+i]), context),
		Offset: d.off + int64(d.pos+i)})
}

func (d *Decoder) truncated() {
	if d.err == nil && !d.started {
		d.err = io.EOF
		return
	}
	d.fail(fmt.Errorf("offset %d: %w", d.off+int64(d.end), io.ErrUnexpectedEOF))
}

// typeErr records that the value at pos, which starts with c, is not what the caller wants, and
// skips it.
func (d *Decoder) typeErr(want string, c byte) {
	got := Kind(c)
	if got == "" {
		d.invalid(0, "looking for beginning of value")
		return
	}
	d.mismatched(&TypeError{Key: string(d.key), Want: want, Got: got, Offset: d.off + int64(d.pos)})
	d.Skip()
}

func (d *Decoder) mismatched(err *TypeError) {
	if d.mismatch == nil {
		d.mismatch = err
	}
}

// Kind names the kind of value that starts with c ("an object", "a number", …), or returns ""
// if no value starts with c.
func Kind(c byte) string {
	switch {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || isDigit(c):
		return "a number"
	}
	return ""
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c < 0x20 || c >= 0x7f:
		return strconv.QuoteRune(rune(c))
	}
	return "'" + string(rune(c)) + "'"
}

// ensure makes at least n unread bytes available, reading more input while keeping buf[pos:]. It
// returns false when the input ends first or the reader fails (the error is then set).
func (d *Decoder) ensure(n int) bool {
	for d.end-d.pos < n {
		if d.eof || d.err != nil {
			return false
		}
		if d.pos > 0 {
			d.end = copy(d.buf, d.buf[d.pos:d.end])
			d.off += int64(d.pos)
			d.pos = 0
		}
		if d.end == len(d.buf) {
			grown := make([]byte, 2*len(d.buf))
			copy(grown, d.buf[:d.end])
			d.buf = grown
		}
		if err := d.read(); err != nil {
			d.fail(err)
			return false
		}
	}
	return true
}

// read appends what r returns to buf, once it returns something.
// An error that comes with data is kept until that data has been used, as encoding/json does.
func (d *Decoder) read() error {
	if err := d.readErr; err != nil {
		return err
	}
	for range maxEmptyReads {
		n, err := d.r.Read(d.buf[d.end:])
		d.end += n
		if err == io.EOF { // io.Reader returns io.EOF itself, and encoding/json compares so
			d.eof = true
			return nil
		}
		if err != nil && n == 0 {
			return err
		}
		if n > 0 {
			d.readErr = err
			return nil
		}
	}
	return io.ErrNoProgress
}

// peek skips whitespace and returns the next byte, or false at the end of input.
func (d *Decoder) peek() (byte, bool) {
	for {
		for d.pos < d.end {
			switch c := d.buf[d.pos]; c {
			case ' ', '\t', '\n', '\r':
				d.pos++
			default:
				d.started = true
				return c, true
			}
		}
		if !d.ensure(1) {
			return 0, false
		}
	}
}

// Peek returns the first byte of the next value without consuming it, or false at the end of
// input.
func (d *Decoder) Peek() (byte, bool) {
	if d.err != nil {
		return 0, false
	}
	return d.peek()
}

// value returns the first byte of the next value, setting the error when there is none.
func (d *Decoder) value() (byte, bool) {
	if d.err != nil {
		return 0, false
	}
	c, ok := d.peek()
	if !ok {
		d.truncated()
	}
	return c, ok
}

// End checks that only whitespace follows the value.
func (d *Decoder) End() {
	if d.err != nil {
		return
	}
	if _, ok := d.peek(); ok {
		d.invalid(0, "after top-level value")
	}
}

// Null consumes a null and reports whether there was one.
func (d *Decoder) Null() bool {
	c, ok := d.value()
	if !ok || c != 'n' {
		return false
	}
	return d.literal("null")
}

func (d *Decoder) literal(lit string) bool {
	d.ensure(len(lit))
	for i := 1; i < len(lit); i++ {
		if d.pos+i >= d.end || d.buf[d.pos+i] != lit[i] {
			d.invalid(i, "in literal "+lit+" (expecting '"+lit[i:i+1]+"')")
			return false
		}
	}
	d.pos += len(lit)
	return true
}

func (d *Decoder) enter() bool {
	d.depth++
	if d.depth > MaxDepth {
		d.syntax("exceeded max depth")
		return false
	}
	return true
}

// Members iterates over an object's keys; the loop body must consume each key's value (with a
// Read method, Members, Elements or Skip) and must not break out of the loop. The key is valid
// until the next read. A value that is not an object is a TypeError; null is one too, so callers
// check Null first where null is allowed.
func (d *Decoder) Members() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		c, ok := d.value()
		if !ok {
			return
		}
		if c != '{' {
			d.typeErr("an object", c)
			return
		}
		if !d.open() {
			return
		}
		for {
			if !d.readKey() || !yield(d.key) || d.err != nil || !d.next('}', "after object key:value pair") {
				return
			}
		}
	}
}

// open consumes the '{' or '[' at pos and reports whether the container has members: false if it
// is empty (and now consumed) or too deep.
func (d *Decoder) open() bool {
	end := d.buf[d.pos] + 2 // '}' and ']' follow '{' and '[' by two
	d.pos++
	if !d.enter() {
		return false
	}
	if c, ok := d.peek(); ok && c == end {
		d.pos++
		d.depth--
		return false
	}
	return true
}

// next consumes what follows a member of a container: a comma (true: another member follows) or
// the closing byte end (false). Anything else is an error.
func (d *Decoder) next(end byte, context string) bool {
	c, ok := d.peek()
	switch {
	case !ok:
		d.truncated()
	case c == ',':
		d.pos++
		return true
	case c == end:
		d.pos++
		d.depth--
	default:
		d.invalid(0, context)
	}
	return false
}

// readKey reads `"key" :` into d.key.
func (d *Decoder) readKey() bool {
	c, ok := d.peek()
	if !ok {
		d.truncated()
		return false
	}
	if c != '"' {
		d.invalid(0, "looking for beginning of object key string")
		return false
	}
	s := d.stringBytes()
	if d.err != nil {
		return false
	}
	d.key = append(d.key[:0], s...)
	if c, ok = d.peek(); !ok || c != ':' {
		d.invalid(0, "after object key")
		return false
	}
	d.pos++
	return true
}

// Elements iterates over an array, yielding each index; the loop body must consume the element
// and must not break out of the loop. Null yields nothing; another value is a TypeError.
func (d *Decoder) Elements() iter.Seq[int] {
	return func(yield func(int) bool) {
		c, ok := d.value()
		if !ok {
			return
		}
		if c == 'n' {
			d.literal("null")
			return
		}
		if c != '[' {
			d.typeErr("an array", c)
			return
		}
		if !d.open() {
			return
		}
		for i := 0; ; i++ {
			d.key = d.key[:0] // a type error in this element belongs to no key of the last one
			if !yield(i) || d.err != nil || !d.next(']', "after array element") {
				return
			}
		}
	}
}

// ReadString stores a string in *p; null leaves *p as it is.
func (d *Decoder) ReadString(p *string) {
	if s, ok := d.StringBytes(); ok {
		*p = string(s)
	}
}

// ReadInterned is ReadString for values that repeat across a list (VPG ids, host names, site
// links): equal values share one string, allocated once per Decoder.
func (d *Decoder) ReadInterned(p *string) {
	s, ok := d.StringBytes()
	if !ok {
		return
	}
	if v, ok := d.interned[string(s)]; ok {
		*p = v
		return
	}
	if d.interned == nil {
		d.interned = map[string]string{}
	}
	v := string(s)
	d.interned[v] = v
	*p = v
}

// StringBytes reads a string, valid until the next read; false for null or on error.
func (d *Decoder) StringBytes() ([]byte, bool) {
	c, ok := d.value()
	switch {
	case !ok:
		return nil, false
	case c == '"':
		s := d.stringBytes()
		return s, d.err == nil
	case c == 'n':
		d.literal("null")
	default:
		d.typeErr("a string", c)
	}
	return nil, false
}

// ReadFloat stores a number in *p; null leaves *p as it is.
func (d *Decoder) ReadFloat(p *float64) {
	if s, at := d.number(); s != nil {
		v, err := strconv.ParseFloat(string(s), 64)
		if err != nil {
			d.mismatched(&TypeError{Key: string(d.key), Want: "a float64", Got: "number " + string(s), Offset: at})
			return
		}
		*p = v
	}
}

// ReadInt stores an integer in *p; null leaves *p as it is. A fraction or exponent is a TypeError,
// as in encoding/json.
func (d *Decoder) ReadInt(p *int) {
	if s, at := d.number(); s != nil {
		v, err := strconv.ParseInt(string(s), 10, strconv.IntSize)
		if err != nil {
			d.mismatched(&TypeError{Key: string(d.key), Want: "an int", Got: "number " + string(s), Offset: at})
			return
		}
		*p = int(v)
	}
}

// number reads a number's bytes (valid until the next read) and its offset; nil for null or on
// error.
func (d *Decoder) number() ([]byte, int64) {
	c, ok := d.value()
	switch {
	case !ok:
		return nil, 0
	case c == '-' || isDigit(c):
		at := d.off + int64(d.pos)
		return d.numberBytes(), at
	case c == 'n':
		d.literal("null")
	default:
		d.typeErr("a number", c)
	}
	return nil, 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// numberBytes consumes a number that starts at pos, checking the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *Decoder) numberBytes() []byte {
	i := 0
	at := func(i int) (byte, bool) {
		if d.pos+i < d.end || d.ensure(i+1) {
			return d.buf[d.pos+i], true
		}
		return 0, false
	}
	digits := func(i int) (int, bool) {
		c, ok := at(i)
		if !ok || !isDigit(c) {
			d.invalid(i, "in numeric literal")
			return i, false
		}
		for ok && isDigit(c) {
			i++
			c, ok = at(i)
		}
		return i, true
	}
	c, _ := at(0)
	if c == '-' {
		i++
	}
	c, ok := at(i)
	switch {
	case ok && c == '0':
		i++
	default:
		if i, ok = digits(i); !ok {
			return nil
		}
	}
	if c, ok = at(i); ok && c == '.' {
		if i, ok = digits(i + 1); !ok {
			return nil
		}
	}
	if c, ok = at(i); ok && (c == 'e' || c == 'E') {
		i++
		if c, ok = at(i); ok && (c == '+' || c == '-') {
			i++
		}
		if i, ok = digits(i); !ok {
			return nil
		}
	}
	if d.err != nil {
		return nil
	}
	s := d.buf[d.pos : d.pos+i]
	d.pos += i
	return s
}

// Skip consumes one value of any kind, checking its syntax as encoding/json does.
func (d *Decoder) Skip() {
	d.skip = d.skip[:0]
	for {
		c, ok := d.value()
		if !ok {
			return
		}
		switch {
		case c == '{' || c == '[':
			if !d.open() {
				if d.err != nil {
					return
				}
				break // empty
			}
			d.skip = append(d.skip, c)
			if c == '{' && !d.readKey() {
				return
			}
			continue
		case c == '"':
			d.stringBytes()
		case c == '-' || isDigit(c):
			d.numberBytes()
		case c == 't':
			d.literal("true")
		case c == 'f':
			d.literal("false")
		case c == 'n':
			d.literal("null")
		default:
			d.invalid(0, "looking for beginning of value")
		}
		// After a value: close containers, or read the next member's key.
		for len(d.skip) > 0 && d.err == nil {
			top := d.skip[len(d.skip)-1]
			context := "after array element"
			if top == '{' {
				context = "after object key:value pair"
			}
			if d.next(top+2, context) {
				if top == '{' {
					d.readKey()
				}
				break
			}
			d.skip = d.skip[:len(d.skip)-1]
		}
		if d.err != nil || len(d.skip) == 0 {
			return
		}
	}
}
