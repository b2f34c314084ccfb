package neo4jstore

// The store side of `bridge import`: the reference data that import rows are validated against,
// and what the one-transaction imports of people (import_people.go) and organisations
// (import_organisations.go) share. The file format and its validation live in internal/csvio;
// these files see only domain values.

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// MaxImportRows is the most rows one import may write. The whole file goes into one
// transaction, whose state the server holds in memory; the command's documentation states the
// same limit (csvio.MaxRows).
const MaxImportRows = 50_000

// Rows per statement inside the import transaction: small enough for a steady progress display,
// large enough that round trips do not dominate.
const (
	importWriteChunk = 1_000
	importReadChunk  = 5_000
)

// ImportReference is what import rows may point to: every country code, municipality (key,
// country, official code, names), theme (id and labels) and organisation (id, parent id, names),
// so that rows may name them and unknown cells get suggestions.
type ImportReference struct {
	Countries      []string
	Municipalities []bridge.Municipality
	ThemeIDs       []string
	Themes         []bridge.Theme // ID and Labels
	Organisations  []bridge.Organisation
}

const qImportReference = `
CALL () { MATCH (c:Country) RETURN collect(c.code) AS countries }
CALL () { MATCH (m:Municipality) RETURN collect({id: m.id, country: m.country, officialCode: m.officialCode,
  name: m.name, names: coalesce(m.names, [])}) AS municipalities }
CALL () { MATCH (t:Theme) RETURN collect(t{.id, .label_en, .label_sv, .label_nb, .label_da, .label_fi, .label_is}) AS themes }
CALL () {
  MATCH (o:Organisation)
  OPTIONAL MATCH (o)-[:PART_OF]->(p:Organisation)
  RETURN collect({id: o.id, parent: p.id, name: o.name, nameEn: o.nameEn}) AS organisations
}
RETURN countries, municipalities, themes, organisations`

// ImportReference loads the reference data for validating an import file in one round trip, so
// that validation never queries per row.
func (s *Store) ImportReference(ctx context.Context) (ImportReference, error) {
	recs, err := s.bulk().read(ctx, "import_reference", qImportReference, nil)
	if err != nil {
		return ImportReference{}, err
	}
	var ref ImportReference
	if len(recs) == 0 {
		return ref, nil
	}
	rec := recordRow(recs[0])
	ref.Countries = rec.Strs("countries")
	for _, m := range rec.Rows("municipalities") {
		ref.Municipalities = append(ref.Municipalities, bridge.Municipality{ID: m.Str("id"), CountryCode: m.Str("country"),
			OfficialCode: m.OptStr("officialCode"), Name: m.OptStr("name"), Names: m.Strs("names")})
	}
	for _, t := range rec.Rows("themes") {
		th := bridge.Theme{ID: t.Str("id"), Labels: map[string]string{}}
		for _, lang := range bridge.MessageLanguages {
			if l := t.OptStr("label_" + lang); l != "" {
				th.Labels[lang] = l
			}
		}
		ref.ThemeIDs = append(ref.ThemeIDs, th.ID)
		ref.Themes = append(ref.Themes, th)
	}
	for _, o := range rec.Rows("organisations") {
		ref.Organisations = append(ref.Organisations, bridge.Organisation{ID: o.Str("id"), ParentID: o.OptStr("parent"),
			Name: o.OptStr("name"), NameEn: o.OptStr("nameEn")})
	}
	return ref, rec.Err("import reference")
}

// ImportOptions are the caller's hooks into an import transaction. Both may run more than once:
// the driver retries the transaction on transient errors.
type ImportOptions[T any] struct {
	// Merge completes a row that updates an existing node, e.g. with the values of the columns
	// that the file does not have. Nil leaves rows as they are.
	Merge func(existing T, incoming *T)
	// Progress is told how many of the rows are done (written, unchanged or skipped).
	Progress func(done, total int)
	// Audit, when not nil, is appended to the audit log in the import's transaction, with the
	// counts as its detail (the browser's import; the command line's has no actor).
	Audit *bridge.AuditEntry
}

// ieAudit appends the audit event of an import inside its transaction: the kind and the counts,
// never the rows.
func ieAudit(ctx context.Context, tx neo4j.ManagedTransaction, audit *bridge.AuditEntry, kind string, res ImportResult) error {
	if audit == nil {
		return nil
	}
	a := *audit
	a.Detail = fmt.Sprintf("%s: created %d, updated %d, unchanged %d, skipped %d", kind, res.Created, res.Updated, res.Unchanged, len(res.Skipped))
	_, err := ieRun(ctx, tx, qAppendAudit, appendAuditParams(a), nil)
	return err
}

// ImportResult says what an import did. Skipped holds the indexes (into the rows given) of the
// people left alone because they maintain their own profile.
type ImportResult struct {
	Created, Updated, Unchanged int
	Skipped                     []int
	Counts                      WriteCounts
}

// ieRun runs one statement inside a transaction, collects its records and adds its update
// counters to counts (when not nil).
func ieRun(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any, counts *WriteCounts) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, query, params)
	if err != nil {
		return nil, ieMemoryError(err)
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, ieMemoryError(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return nil, ieMemoryError(err)
	}
	if counts != nil {
		c := sum.Counters()
		*counts = counts.Add(WriteCounts{c.NodesCreated(), c.NodesDeleted(), c.RelationshipsCreated(),
			c.RelationshipsDeleted(), c.PropertiesSet()})
	}
	return recs, nil
}

// ieMemoryError turns the server's "transaction memory exhausted" errors into a message the
// operator can act on. The server classifies them as transient, which would make the driver
// retry (and the generic translation say "try again shortly"), but the same file will exhaust the
// same memory again: a domain error is not retried and passes translate unchanged.
//
// The error may also come at commit, after the work function, wrapped in the driver's
// TransactionExecutionLimit (which does not unwrap to its causes): its causes are searched too.
func ieMemoryError(err error) error {
	causes := []error{err}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) {
		causes = append(causes, limit.Errors...)
	}
	for _, cause := range causes {
		var neoErr *neo4j.Neo4jError
		if !errors.As(cause, &neoErr) || (neoErr.Code != "Neo.TransientError.General.MemoryPoolOutOfMemoryError" &&
			neoErr.Code != "Neo.TransientError.General.TransactionOutOfMemoryError") {
			continue
		}
		return &bridge.Error{Code: bridge.CodeBadUserInput, Err: fmt.Errorf("server error %s", neoErr.Code),
			Message: "the file needs more transaction memory than the database server allows (about 20 kB per row); " +
				"split it into smaller files, or give the server more heap (server.memory.heap.max_size) and transaction memory " +
				"(dbms.memory.transaction.total.max)"}
	}
	return err
}

// ieCheckRefs runs a reference check that returns the number of missing targets, and turns a
// non-zero answer into a CONFLICT that rolls the transaction back.
func ieCheckRefs(ctx context.Context, tx neo4j.ManagedTransaction, query string, params map[string]any) error {
	recs, err := ieRun(ctx, tx, query, params, nil)
	if err != nil {
		return err
	}
	if len(recs) != 1 {
		return fmt.Errorf("reference check: %d records", len(recs))
	}
	missing, err := column(recs[0], "missing", (*row).Int)
	if err != nil {
		return fmt.Errorf("reference check: %w", err)
	}
	if missing > 0 {
		return bridge.Errorf(bridge.CodeConflict, "%d municipalities, themes or organisations that the file names were removed while it was checked; nothing was imported, run the import again", missing)
	}
	return nil
}

// ieWritten reads the row indexes that an import statement returns, one record each (column
// written).
func ieWritten(recs []*neo4j.Record) (map[int]bool, error) {
	out := map[int]bool{}
	for _, r := range recs {
		i, err := column(r, "written", (*row).Int)
		if err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
		out[i] = true
	}
	return out, nil
}

func sameSet[T any](a, b []T, key func(T) string) bool {
	if len(a) != len(b) {
		return false
	}
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i], kb[i] = key(a[i]), key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}
