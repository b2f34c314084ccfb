package neo4jstore

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// The full-text index (search_text) uses Lucene's standard-folding analyzer: lower case, and
// letters folded to ASCII (ASCIIFoldingFilter: ö → o, å → a, í → i, æ → ae, ø → o, ð → d,
// þ → th). Lucene analyzes the plain terms of a query the same way but not its prefix terms
// ("jyväs*" is looked up as typed), so the query side folds every word itself (foldWord) before it
// builds them. Written here rather than taken from a library: no Go package reproduces Lucene's
// folding table, and only the letters of the Nordic languages and their neighbours matter here.

// letterFolds are the letters that lose more than a diacritic in ASCIIFoldingFilter.
var letterFolds = strings.NewReplacer("æ", "ae", "ø", "o", "ð", "d", "þ", "th", "ß", "ss", "œ", "oe", "ł", "l", "đ", "d", "ı", "i")

// foldWord is a lower-case word as the index's analyzer stores it.
func foldWord(w string) string {
	w = letterFolds.Replace(strings.ToLower(w))
	// Decompose, drop the combining marks (ö → o + U+0308 → o), compose what is left.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, w)
	if err != nil {
		return w
	}
	return out
}

// searchText is what the index holds for a thing with these names: the names, and for each word
// spelt with "aa" or "å" the other spelling too, so that Aarhus, Århus and Arhus (å folds to a)
// find one another, as Danish and Norwegian readers expect (aa is the old spelling of å).
func searchText(names ...string) string {
	var parts []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		parts = append(parts, n)
		for _, w := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			lw := strings.ToLower(w)
			switch {
			case strings.Contains(lw, "aa"):
				parts = append(parts, strings.ReplaceAll(lw, "aa", "å"))
			case strings.Contains(lw, "å"):
				parts = append(parts, strings.ReplaceAll(lw, "å", "aa"))
			}
		}
	}
	return strings.Join(parts, " ")
}
