package csvio

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
)

// Format is the shape of an export.
type Format string

// The export formats. CSV is what import reads; JSON is an array of objects whose keys are the
// CSV columns and whose values are the same text as the CSV cells.
const (
	FormatCSV  Format = "csv"
	FormatJSON Format = "json"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatCSV, FormatJSON:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: csv or json", s)
}

// Writer streams records of fixed columns as CSV or JSON, so that an export of 100,000 people
// never holds them all in memory. Close writes what the format needs at the end (JSON's closing
// bracket) and flushes.
type Writer struct {
	format  Format
	columns []string
	buf     *bufio.Writer
	csv     *csv.Writer
	n       int
	err     error
}

// NewWriter starts a file of the columns: the CSV header, or JSON's opening bracket.
func NewWriter(w io.Writer, format Format, columns []string) (*Writer, error) {
	wr := &Writer{format: format, columns: columns, buf: bufio.NewWriterSize(w, 64<<10)}
	switch format {
	case FormatCSV:
		wr.csv = csv.NewWriter(wr.buf)
		wr.err = wr.csv.Write(columns)
	case FormatJSON:
		_, wr.err = wr.buf.WriteString("[")
	default:
		return nil, fmt.Errorf("unknown format %q", format)
	}
	return wr, wr.err
}

// Write adds one record; it must have one value per column.
func (w *Writer) Write(rec []string) error {
	if w.err != nil {
		return w.err
	}
	if len(rec) != len(w.columns) {
		return fmt.Errorf("record has %d values for %d columns", len(rec), len(w.columns))
	}
	if w.format == FormatCSV {
		out := make([]string, len(rec))
		for i, v := range rec {
			out[i] = escapeFormula(v)
		}
		w.err = w.csv.Write(out)
		w.n++
		return w.err
	}
	sep := ",\n"
	if w.n == 0 {
		sep = "\n"
	}
	w.buf.WriteString(sep + "{")
	for i, col := range w.columns {
		k, _ := json.Marshal(col)
		v, _ := json.Marshal(rec[i])
		if i > 0 {
			w.buf.WriteString(",")
		}
		w.buf.Write(k)
		w.buf.WriteString(":")
		w.buf.Write(v)
	}
	_, w.err = w.buf.WriteString("}")
	w.n++
	return w.err
}

// Count is the number of records written.
func (w *Writer) Count() int { return w.n }

// Close ends the file and flushes it; it does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.format == FormatCSV {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	} else {
		end := "]\n"
		if w.n > 0 {
			end = "\n]\n"
		}
		if _, err := w.buf.WriteString(end); err != nil {
			return err
		}
	}
	return w.buf.Flush()
}
