package journal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var erasedAt = time.Date(2026, 11, 3, 10, 15, 0, 0, time.UTC)

func TestErasureJournalAppendsOneLinePerErasureWithIdsOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "erasures.jsonl")
	j, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 || st.Size() != 0 {
		t.Fatalf("Open left %v (%v), want an empty file of mode 0600", st, err)
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v, want 0700", dir.Mode().Perm())
	}
	j.RecordErasure("6f1c2a9e-0d7b-4c1e-9a55-3b2f0e8d7c61", erasedAt)
	if err := j.Append(Entry{PersonID: "b5d0c3f4-1111-4c1e-9a55-000000000002", ErasedAt: erasedAt.Add(time.Hour).In(time.FixedZone("X", 3600))}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"personId":"6f1c2a9e-0d7b-4c1e-9a55-3b2f0e8d7c61","erasedAt":"2026-11-03T10:15:00Z"}` + "\n" +
		`{"personId":"b5d0c3f4-1111-4c1e-9a55-000000000002","erasedAt":"2026-11-03T11:15:00Z"}` + "\n"
	if string(raw) != want {
		t.Fatalf("journal:\n%s\nwant:\n%s", raw, want)
	}
	c, err := ReadFile(path)
	if err != nil || len(c.Unreadable) != 0 || len(c.Entries) != 2 || c.Entries[1].PersonID != "b5d0c3f4-1111-4c1e-9a55-000000000002" ||
		!c.Entries[0].ErasedAt.Equal(erasedAt) {
		t.Fatalf("ReadFile = %+v, %v", c, err)
	}
	// Opening an existing journal keeps it.
	if _, err := Open(path, nil); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); string(again) != want {
		t.Fatalf("Open changed the journal: %s", again)
	}
}

func TestErasureJournalRefusesEntriesThatAreNotIds(t *testing.T) {
	j, err := Open(filepath.Join(t.TempDir(), "e.jsonl"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Entry{{PersonID: "", ErasedAt: erasedAt}, {PersonID: "p-1"},
		{PersonID: "anna@example.org", ErasedAt: erasedAt}, {PersonID: "Anna Andersson", ErasedAt: erasedAt},
		{PersonID: strings.Repeat("a", 101), ErasedAt: erasedAt}} {
		if err := j.Append(e); err == nil {
			t.Errorf("appended %+v", e)
		}
	}
	if raw, _ := os.ReadFile(j.Path()); len(raw) != 0 {
		t.Fatalf("journal holds %q", raw)
	}
}

func TestErasureJournalEndsALineACrashCutOff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.jsonl")
	if err := os.WriteFile(path, []byte(`{"personId":"p-1","erasedAt":"2026-11-03T10:15:00Z"}`+"\n"+`{"personId":"p-2","eras`), 0o600); err != nil {
		t.Fatal(err)
	}
	j, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(Entry{PersonID: "p-3", ErasedAt: erasedAt}); err != nil {
		t.Fatal(err)
	}
	c, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range c.Entries {
		ids = append(ids, e.PersonID)
	}
	if !slices.Equal(ids, []string{"p-1", "p-3"}) || !slices.Equal(c.Unreadable, []int{2}) {
		t.Fatalf("entries %v, unreadable lines %v; want p-1 and p-3, line 2", ids, c.Unreadable)
	}
}

func TestErasureJournalReadReportsUnreadableLinesAndGoesOn(t *testing.T) {
	in := strings.Join([]string{
		`{"personId":"p-1","erasedAt":"2026-11-03T10:15:00Z"}`,
		``,
		`not json`,
		`{"personId":"","erasedAt":"2026-11-03T10:15:00Z"}`,
		`{"personId":"p-2"}`,
		`{"personId":"p-3","erasedAt":"2026-11-04T10:15:00Z","name":"ignored"}`,
	}, "\n")
	c, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Entries) != 2 || c.Entries[0].PersonID != "p-1" || c.Entries[1].PersonID != "p-3" || !slices.Equal(c.Unreadable, []int{3, 4, 5}) {
		t.Fatalf("Read = %+v", c)
	}
}

func TestErasureJournalOpenFailsOnAPathThatCannotBeAJournal(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"", dir, filepath.Join(file, "erasures.jsonl")} {
		if _, err := Open(p, nil); err == nil {
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// TestErasureJournalFailureIsLoggedWithTheIdOnly: when the journal cannot be written after the
// erasure, the log says so with the person's id and nothing else about them.
func TestErasureJournalFailureIsLoggedWithTheIdOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	var logs bytes.Buffer
	j, err := Open(filepath.Join(dir, "e.jsonl"), slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// The folder is replaced by a file: every append fails from now on.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	j.RecordErasure("6f1c2a9e-0d7b-4c1e-9a55-3b2f0e8d7c61", erasedAt)
	out := logs.String()
	if !strings.Contains(out, `"level":"ERROR"`) || !strings.Contains(out, `"person_id":"6f1c2a9e-0d7b-4c1e-9a55-3b2f0e8d7c61"`) {
		t.Fatalf("log: %s", out)
	}
}

func TestErasureJournalConcurrentAppendsKeepWholeLines(t *testing.T) {
	j, err := Open(filepath.Join(t.TempDir(), "e.jsonl"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.RecordErasure("p-"+strings.Repeat("x", i%7)+"-"+string(rune('a'+i%26)), erasedAt)
		}()
	}
	wg.Wait()
	c, err := ReadFile(j.Path())
	if err != nil || len(c.Entries) != 50 || len(c.Unreadable) != 0 {
		t.Fatalf("%d entries, unreadable %v, %v", len(c.Entries), c.Unreadable, err)
	}
}

// reapplyStore is a graph of people ids for Reapply.
type reapplyStore struct {
	people map[string]bool
	fail   map[string]bool
	audits []bridge.AuditEntry
	checks int
}

func (s *reapplyStore) PeopleExisting(_ context.Context, ids []string) ([]string, error) {
	s.checks++
	var out []string
	for _, id := range ids {
		if s.people[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

func (s *reapplyStore) ReapplyErasure(_ context.Context, id string, audit bridge.AuditEntry) (bool, error) {
	if s.fail[id] {
		return false, errors.New("unavailable")
	}
	if !s.people[id] {
		return false, nil
	}
	delete(s.people, id)
	audit.TargetID = id
	s.audits = append(s.audits, audit)
	return true, nil
}

func TestErasureReapplyErasesWhoIsBackOnceAndCounts(t *testing.T) {
	s := &reapplyStore{people: map[string]bool{"p-1": true, "p-3": true, "kept": true}, fail: map[string]bool{}}
	entries := []Entry{{"p-1", erasedAt}, {"p-2", erasedAt}, {"p-1", erasedAt.Add(time.Hour)}, {"p-3", erasedAt}}
	audit := bridge.AuditEntry{ActorRole: bridge.RoleSystem, RequestID: "reapply-1"}
	rep, err := Reapply(context.Background(), s, entries, audit)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (ReapplyReport{People: 3, Absent: 1, Erased: 2}) {
		t.Fatalf("first run %+v", rep)
	}
	if s.people["p-1"] || s.people["p-3"] || !s.people["kept"] {
		t.Fatalf("people after reapply: %v", s.people)
	}
	if len(s.audits) != 2 || s.audits[0].ActorRole != bridge.RoleSystem || s.audits[0].RequestID != "reapply-1" {
		t.Fatalf("audits %+v", s.audits)
	}
	rep, err = Reapply(context.Background(), s, entries, audit)
	if err != nil || rep != (ReapplyReport{People: 3, Absent: 3}) {
		t.Fatalf("second run %+v, %v; want nothing erased", rep, err)
	}
}

func TestErasureReapplyGoesOnAfterAFailureAndNamesTheId(t *testing.T) {
	var entries []Entry
	s := &reapplyStore{people: map[string]bool{}, fail: map[string]bool{"p-0007": true}}
	for i := range 1200 {
		id := fmt.Sprintf("p-%04d", i)
		entries = append(entries, Entry{id, erasedAt})
		s.people[id] = i%2 == 1 // p-0007 among them
	}
	rep, err := Reapply(context.Background(), s, entries, bridge.AuditEntry{ActorRole: bridge.RoleSystem})
	if err == nil || !strings.Contains(err.Error(), "p-0007") {
		t.Fatalf("error %v, want one naming p-0007", err)
	}
	if rep.People != 1200 || rep.Erased != 599 || rep.Absent != 600 || s.checks != 3 || !s.people["p-0007"] {
		t.Fatalf("report %+v after %d existence checks", rep, s.checks)
	}
}

// TestErasureJournalFolderKeepsAFilePerMachine: a journal that is a folder (on a share every
// instance mounts) gets a file per machine, named by its host; reading the folder reads every
// machine's file, and names the file of an unreadable line.
func TestErasureJournalFolderKeepsAFilePerMachine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "journal") + "/"
	j, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(j.Path()) != filepath.Clean(dir) || filepath.Ext(j.Path()) != ".jsonl" {
		t.Fatalf("this machine's file is %s, want a .jsonl in %s", j.Path(), dir)
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if err := j.Append(Entry{PersonID: "here-1", ErasedAt: at}); err != nil {
		t.Fatal(err)
	}
	other := `{"personId":"there-1","erasedAt":"2026-12-02T10:00:00Z"}` + "\nnot json\n"
	if err := os.WriteFile(filepath.Join(dir, "another-machine.jsonl"), []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{dir, filepath.Clean(dir)} { // with and without the trailing slash
		c, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range c.Entries {
			ids = append(ids, e.PersonID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, []string{"here-1", "there-1"}) || !slices.Equal(c.Unreadable, []int{2}) ||
			!slices.Equal(c.UnreadableIn, []string{"another-machine.jsonl"}) {
			t.Fatalf("%s: entries %v, unreadable %v in %v", path, ids, c.Unreadable, c.UnreadableIn)
		}
	}
	// A second process of this machine appends to the same file.
	j2, err := Open(dir, nil)
	if err != nil || j2.Path() != j.Path() {
		t.Fatalf("a second opening of the folder: %v, %v", j2, err)
	}
}
