package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// SetCell returns the file text with the cell of the row that starts on line (as RowError.Line
// counts) in the file's column index (0-based) set to value: the browser's import fixes a bad
// cell this way. The file is written back with its own separator; empty lines are dropped, so
// the lines of later rows may move up (the caller checks the file again). It fails when no row
// starts on line or the row has no such column.
func SetCell(text string, line, index int, value string) (string, error) {
	text = strings.TrimPrefix(text, "\uFEFF")
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = detectDelimiter([]byte(text[:min(len(text), 64<<10)]))
	cr.FieldsPerRecord = -1
	var records [][]string
	found := false
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		if l, _ := cr.FieldPos(0); l == line && line > 1 {
			if index < 0 || index >= len(rec) {
				return "", errors.New("the row has no such column")
			}
			rec[index] = value
			found = true
		}
		records = append(records, rec)
	}
	if !found {
		return "", errors.New("no row starts on that line")
	}
	var b bytes.Buffer
	w := csv.NewWriter(bufio.NewWriter(&b))
	w.Comma = cr.Comma
	if err := w.WriteAll(records); err != nil {
		return "", err
	}
	return b.String(), nil
}
