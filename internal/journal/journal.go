// Package journal is the erasure journal (GDPR art. 17 across restores): an append-only file,
// outside the database, with one JSON line per erasure and ids only,
//
//	{"personId":"6f1c2a9e-…","erasedAt":"2026-11-03T10:15:00Z"}
//
// so that a backup taken before an erasure, once restored, can be cleaned again: `bridge
// reapply-erasures` reads the journal and erases every listed person who exists again (Reapply).
// The store appends after each erasure's transaction has committed (bridge.ErasureJournal); a line
// is written with one write call and fsynced before the append returns.
//
// Several machines: the journal may be a folder (a path that ends with "/"), on a
// share every instance mounts (NFS, SMB, a cloud file share) and that is not restored with the
// database. Each machine then appends to a file of its own in it (<host>.jsonl), so that no two
// machines append to one file over the network, and reapply-erasures reads them all.
//
// Standard library and internal/bridge only.
package journal

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Entry is one line of the journal: who was erased (the person's id) and when. Nothing else: the
// journal must not become a list of the people who asked to be forgotten.
type Entry struct {
	PersonID string    `json:"personId"`
	ErasedAt time.Time `json:"erasedAt"`
}

// maxIDLength bounds a person id in the journal (ours are UUIDs).
const maxIDLength = 100

func (e Entry) valid() bool {
	if e.PersonID == "" || len(e.PersonID) > maxIDLength || e.ErasedAt.IsZero() {
		return false
	}
	for _, r := range e.PersonID {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// File is the journal file. It is safe for concurrent use in one process; separate processes (the
// API and a cron job) may append to the same file, as each line is one O_APPEND write.
type File struct {
	path string
	log  *slog.Logger
	mu   sync.Mutex
}

var _ bridge.ErasureJournal = (*File)(nil)

// Open makes sure the journal can be appended to (creating its folder, mode 0700, and the file,
// mode 0600, when missing) so that a wrong path fails at start rather than at the first erasure.
// logger receives the failures of RecordErasure.
func Open(path string, logger *slog.Logger) (*File, error) {
	if path == "" {
		return nil, errors.New("erasure journal: no path")
	}
	if endsWithSeparator(path) {
		if err := os.MkdirAll(path, 0o700); err != nil {
			return nil, fmt.Errorf("erasure journal: %w", err)
		}
		path = filepath.Join(path, hostFile())
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("erasure journal: %w", err)
	}
	f, created, err := openAppend(path)
	if err != nil {
		return nil, fmt.Errorf("erasure journal: %w", err)
	}
	st, err := f.Stat()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("erasure journal: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("erasure journal: %s is not a regular file", path)
	}
	if created {
		if err := syncDir(filepath.Dir(path)); err != nil {
			return nil, fmt.Errorf("erasure journal: %w", err)
		}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &File{path: path, log: logger}, nil
}

// endsWithSeparator says whether a journal path asks for a folder (Open: only then, so that a
// folder named by mistake without the slash is still refused).
func endsWithSeparator(path string) bool {
	return strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator))
}

// isFolder says whether a journal to read is a folder: it ends with a separator, or is one.
func isFolder(path string) bool {
	if endsWithSeparator(path) {
		return true
	}
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// hostFile is this machine's file in a journal folder: its host name (letters, digits, dots and
// dashes kept) and .jsonl.
func hostFile() string {
	host, _ := os.Hostname()
	clean := strings.Map(func(r rune) rune {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, host)
	if strings.Trim(clean, "._") == "" {
		clean = "host"
	}
	return clean + ".jsonl"
}

// Path is the journal's file name.
func (f *File) Path() string { return f.path }

// openAppend opens path for appending, creating it (0600) when missing.
func openAppend(path string) (*os.File, bool, error) {
	created := false
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		created = true
	}
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	return fh, created, err
}

// syncDir fsyncs a folder, so that a file just created in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// Append writes one line and fsyncs the file before it returns. A line cut off by a crash in an
// earlier append is ended first, so that it cannot spoil this one.
func (f *File) Append(e Entry) error {
	e.ErasedAt = e.ErasedAt.UTC()
	if !e.valid() {
		return errors.New("erasure journal: not a valid entry (person id and time required)")
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("erasure journal: %w", err)
	}
	line = append(line, '\n')
	f.mu.Lock()
	defer f.mu.Unlock()
	fh, created, err := openAppend(f.path)
	if err != nil {
		return fmt.Errorf("erasure journal: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return fmt.Errorf("erasure journal: %w", err)
	}
	if st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := fh.ReadAt(last, st.Size()-1); err != nil {
			return fmt.Errorf("erasure journal: %w", err)
		}
		if last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := fh.Write(line); err != nil {
		return fmt.Errorf("erasure journal: %w", err)
	}
	if err := fh.Sync(); err != nil {
		return fmt.Errorf("erasure journal: %w", err)
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("erasure journal: %w", err)
	}
	if created {
		if err := syncDir(filepath.Dir(f.path)); err != nil {
			return fmt.Errorf("erasure journal: %w", err)
		}
	}
	return nil
}

// RecordErasure implements bridge.ErasureJournal. The erasure has already happened when it is
// called, so a failure cannot undo it: it is logged as an error with the person's id (ids only)
// for the operator, who must add the line by hand before the next restore.
func (f *File) RecordErasure(personID string, erasedAt time.Time) {
	if err := f.Append(Entry{PersonID: personID, ErasedAt: erasedAt}); err != nil {
		f.log.Error("erasure journal: the erasure is done but could not be journaled; a restored backup would bring the person back until their id is added to the journal",
			slog.String("person_id", personID), slog.String("journal", f.path), slog.String("error", err.Error()))
	}
}

// Contents is what Read found: the entries in file order and the numbers of the lines it could
// not read (not JSON, or without a valid person id and time).
type Contents struct {
	Entries    []Entry
	Unreadable []int
	// UnreadableIn names the file of each unreadable line when the journal is a folder.
	UnreadableIn []string
}

// maxLine bounds one line of the journal (a valid line is about 80 bytes).
const maxLine = 64 << 10

// Read reads a journal. Empty lines are skipped; unreadable lines are reported, not fatal, so that
// one damaged line (a crash in the middle of an append) does not keep the others from being
// applied.
func Read(r io.Reader) (Contents, error) {
	var c Contents
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Bytes()
		if len(raw) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(raw, &e); err != nil || !e.valid() {
			c.Unreadable = append(c.Unreadable, n)
			continue
		}
		c.Entries = append(c.Entries, e)
	}
	if err := sc.Err(); err != nil {
		return c, fmt.Errorf("erasure journal: %w", err)
	}
	return c, nil
}

// ReadFile reads the journal at path: a file, or a folder of them (every *.jsonl in it, one per
// machine, in name order).
func ReadFile(path string) (Contents, error) {
	if isFolder(path) {
		files, err := filepath.Glob(filepath.Join(path, "*.jsonl"))
		if err != nil {
			return Contents{}, fmt.Errorf("erasure journal: %w", err)
		}
		if _, err := os.Stat(path); err != nil {
			return Contents{}, fmt.Errorf("erasure journal: %w", err)
		}
		sort.Strings(files)
		var all Contents
		for _, f := range files {
			c, err := readOne(f)
			if err != nil {
				return all, err
			}
			all.Entries = append(all.Entries, c.Entries...)
			for _, n := range c.Unreadable {
				all.Unreadable = append(all.Unreadable, n)
				all.UnreadableIn = append(all.UnreadableIn, filepath.Base(f))
			}
		}
		return all, nil
	}
	return readOne(path)
}

func readOne(path string) (Contents, error) {
	fh, err := os.Open(path)
	if err != nil {
		return Contents{}, fmt.Errorf("erasure journal: %w", err)
	}
	defer fh.Close()
	return Read(fh)
}

// Store is what Reapply needs (package neo4jstore).
type Store interface {
	// PeopleExisting returns those of ids that are people in the graph.
	PeopleExisting(ctx context.Context, ids []string) ([]string, error)
	// ReapplyErasure erases a person again (one transaction, audited as ERASE with
	// reason=journal); a person who does not exist is (false, nil).
	ReapplyErasure(ctx context.Context, personID string, audit bridge.AuditEntry) (bool, error)
}

// ReapplyReport counts what Reapply did. It holds no ids.
type ReapplyReport struct {
	People int // distinct people in the journal
	Absent int // not in the graph: nothing to do
	Erased int // in the graph again, and erased again
}

// reapplyBatch is how many ids one existence check asks about.
const reapplyBatch = 500

// Reapply erases every person of the entries who exists again (after a restore). Running it again
// erases nothing more. A failed erasure of one person does not stop the others; the errors are
// returned together, with the person ids (ids only).
func Reapply(ctx context.Context, store Store, entries []Entry, audit bridge.AuditEntry) (ReapplyReport, error) {
	var ids []string
	seen := map[string]bool{}
	for _, e := range entries {
		if !seen[e.PersonID] {
			seen[e.PersonID] = true
			ids = append(ids, e.PersonID)
		}
	}
	rep := ReapplyReport{People: len(ids)}
	var errs []error
	for start := 0; start < len(ids); start += reapplyBatch {
		chunk := ids[start:min(start+reapplyBatch, len(ids))]
		back, err := store.PeopleExisting(ctx, chunk)
		if err != nil {
			return rep, errors.Join(append(errs, fmt.Errorf("reapply erasures: %w", err))...)
		}
		rep.Absent += len(chunk) - len(back)
		for _, id := range back {
			erased, err := store.ReapplyErasure(ctx, id, audit)
			switch {
			case err != nil:
				errs = append(errs, fmt.Errorf("reapply erasure of %s: %w", id, err))
			case erased:
				rep.Erased++
			default:
				rep.Absent++ // gone between the check and the erasure
			}
		}
	}
	return rep, errors.Join(errs...)
}
