package csvio

// Names for keys: a municipality, theme or organisation cell may name it instead of giving our
// key. A name matches when it equals (without regard to case, in Unicode NFC) one of the names of
// exactly one candidate: a municipality's names in any of its country's languages within the
// row's country, a theme's labels in any language, an organisation's name or English name. A
// cell that matches nothing gets suggestions ("did you mean"): candidates whose name equals the
// cell with diacritics folded (Malmo → Malmö) or is a small edit away from it.

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Suggestion is one "did you mean" for a cell: Value is the whole cell as it would be with the
// suggestion taken (a list cell keeps its other items), Label says what it means in words.
type Suggestion struct {
	Value string
	Label string
}

// MaxSuggestions is the most suggestions given for one cell.
const MaxSuggestions = 3

// maxSuggestedErrors bounds the problems that get suggestions: suggesting compares a cell with
// every candidate name, so a file of 50,000 misspelt cells would otherwise cost 50,000 × the
// reference data. Later problems are still reported, without suggestions.
const maxSuggestedErrors = 500

// named is one name of a candidate key.
type named struct {
	key    string // what the cell resolves to
	label  string // the name as written in the reference data
	folded string // fold(label)
	exact  string // exactKey(label)
}

// exactKey is the form in which names are compared for a match: NFC, lower case, inner spaces
// collapsed.
func exactKey(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(s))), " ")
}

// foldNordic spells the letters that do not decompose into a base letter and a mark.
var foldNordic = strings.NewReplacer("ø", "o", "æ", "ae", "ð", "d", "þ", "th", "ß", "ss", "ł", "l", "œ", "oe")

// fold is the form in which names are compared for suggestions: exactKey with diacritics removed
// (Malmö, Malmø → malmo; Þingeyri → thingeyri).
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, exactKey(s))
	if err != nil {
		out = exactKey(s)
	}
	return foldNordic.Replace(out)
}

func newNamed(key, label string) named {
	return named{key: key, label: label, folded: fold(label), exact: exactKey(label)}
}

// byName returns the keys whose name matches v exactly (deduplicated).
func byName(names []named, v string) []string {
	k := exactKey(v)
	var out []string
	for _, n := range names {
		if n.exact == k && !slices.Contains(out, n.key) {
			out = append(out, n.key)
		}
	}
	return out
}

// suggest returns up to MaxSuggestions candidates for v: names equal to v with diacritics folded
// first, then those within a small edit distance, nearest first; one per key.
func suggest(names []named, v string) []named {
	f := fold(v)
	if f == "" {
		return nil
	}
	limit := 1
	if n := utf8.RuneCountInString(f); n >= 6 {
		limit = 2
	} else if n < 3 {
		limit = 0
	}
	type scored struct {
		n named
		d int
	}
	var found []scored
	for _, n := range names {
		d := 0
		if n.folded != f {
			d = editDistance(n.folded, f, limit) + 1
		}
		if d <= limit+1 {
			found = append(found, scored{n, d})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.n.label, b.n.label))
	})
	var out []named
	seen := map[string]bool{}
	for _, s := range found {
		if !seen[s.n.key] {
			seen[s.n.key] = true
			out = append(out, s.n)
		}
		if len(out) == MaxSuggestions {
			break
		}
	}
	return out
}

// editDistance is the Levenshtein distance of a and b in runes, or limit+1 as soon as it is
// certain to exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit+1)
}

// suggestions turns candidates into Suggestions for a cell: value makes the cell from a key.
func suggestions(found []named, value func(key string) string) []Suggestion {
	out := make([]Suggestion, 0, len(found))
	for _, n := range found {
		label := n.label
		if n.key != n.label {
			label += " (" + n.key + ")"
		}
		out = append(out, Suggestion{Value: value(n.key), Label: label})
	}
	return out
}

// replaceItem returns a list cell with its i-th item replaced.
func replaceItem(items []string, i int, item string) string {
	out := slices.Clone(items)
	out[i] = item
	return strings.Join(out, ListSeparator)
}
