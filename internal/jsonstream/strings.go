package jsonstream

import (
	"unicode/utf16"
	"unicode/utf8"
)

// plain marks the bytes a string can hold as they are: not '"', '\\', a control character or the
// start of a multi-byte (maybe invalid) UTF-8 sequence.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// stringBytes consumes the string that starts at pos and returns its unescaped bytes, valid until
// the next read.
func (d *Decoder) stringBytes() []byte {
	i := 1
	for {
		b := d.buf[d.pos:d.end]
		for i < len(b) && plain[b[i]] {
			i++
		}
		if i < len(b) {
			if b[i] == '"' {
				d.pos += i + 1
				return b[1:i]
			}
			return d.stringSlow(i)
		}
		if !d.ensure(i + 1) {
			d.truncated()
			return nil
		}
	}
}

// stringSlow finishes a string that has escapes, control characters or non-ASCII bytes from
// offset i: it finds the closing quote, checking escapes, then unescapes into scratch.
func (d *Decoder) stringSlow(i int) []byte {
	for {
		if !d.ensure(i + 1) {
			d.truncated()
			return nil
		}
		switch c := d.buf[d.pos+i]; {
		case c == '"':
			s := d.unquote(d.buf[d.pos+1 : d.pos+i])
			d.pos += i + 1
			return s
		case c < 0x20:
			d.invalid(i, "in string literal")
			return nil
		case c == '\\':
			if !d.ensure(i + 2) {
				d.truncated()
				return nil
			}
			switch d.buf[d.pos+i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for j := i + 2; j < i+6; j++ {
					if !d.ensure(j + 1) {
						d.truncated()
						return nil
					}
					if unhex(d.buf[d.pos+j]) < 0 {
						d.invalid(j, "in \\u hexadecimal character escape")
						return nil
					}
				}
				i += 6
			default:
				d.invalid(i+1, "in string escape code")
				return nil
			}
		default:
			i++
		}
	}
}

func unhex(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// getu4 decodes a \uXXXX escape at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		h := unhex(c)
		if h < 0 {
			return -1
		}
		r = r<<4 | h
	}
	return r
}

// unquote unescapes the checked contents of a string into scratch as encoding/json does: invalid
// UTF-8 and unpaired surrogates become U+FFFD.
func (d *Decoder) unquote(s []byte) []byte {
	b := d.scratch[:0]
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			switch s[r+1] {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r:])
				r += 6
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != utf8.RuneError {
						r += 6
						b = utf8.AppendRune(b, dec)
						continue
					}
					rr = utf8.RuneError
				}
				b = utf8.AppendRune(b, rr)
				continue
			default: // '"', '\\', '/'
				b = append(b, s[r+1])
			}
			r += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	d.scratch = b
	return b
}
