package matching

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// render puts an evaluation into data and words. Reasons are ordered by weight, then kind,
// then the id they name, so that the strongest reason comes first and equal reasons always
// come in the same order. Texts name themes by their English label (the id when there is
// none), and groups, events and languages by id or code, which the GraphQL layer resolves.
func (v *viewer) render(other *bridge.MatchProfile, themes map[string]bridge.ThemeInfo, e *evaluation) bridge.PeerMatch {
	m := bridge.PeerMatch{
		PersonID: other.PersonID,
		Score:    e.score,
		Reasons:  make([]bridge.Reason, 0, len(e.reasons)),
		Missing:  make([]bridge.Gap, 0, len(e.gaps)),
	}
	for _, r := range e.reasons {
		out := bridge.Reason{Kind: r.kind, Weight: r.weight}
		switch r.kind {
		case bridge.ReasonSharedTheme:
			out.ThemeID = r.id
			out.Text = "You both work on " + label(themes, r.id)
		case bridge.ReasonComplementaryTheme:
			out.ThemeID = r.id
			switch r.dir {
			case bothWays:
				out.Text = "You seek " + label(themes, r.id) + " and they offer it, and the other way round"
			case theySeek:
				out.Text = "They seek " + label(themes, r.id) + "; you offer it"
			default:
				out.Text = "You seek " + label(themes, r.id) + "; they offer it"
			}
		case bridge.ReasonOtherCountry:
			out.Text = "Works in another Nordic country (" + strings.ToUpper(strings.TrimSpace(other.CountryCode)) + ")"
		case bridge.ReasonComparableMunicipality:
			out.Text = "Works in a municipality of similar size (about " + approximately(other.MunicipalityPopulation) +
				" and " + approximately(v.population) + " inhabitants)"
		case bridge.ReasonSharedLanguage:
			out.Language = r.id
			if r.mine != "" {
				out.Text = "You work in " + r.mine + " and they in " + r.id +
					", Scandinavian languages that understand each other"
			} else {
				out.Text = "You both work in " + r.id
			}
		case bridge.ReasonSharedGroup:
			out.GroupID = r.id
			out.Text = "You are both members of the group " + r.id
		case bridge.ReasonSharedEvent:
			out.EventID = r.id
			out.Text = "Both attended the same event (" + r.id + ")"
		}
		m.Reasons = append(m.Reasons, out)
	}
	slices.SortFunc(m.Reasons, compareReasons)
	for _, g := range e.gaps {
		m.Missing = append(m.Missing, bridge.Gap{Kind: g, Text: gapText(g)})
	}
	return m
}

// compareReasons orders reasons by weight descending, then kind, then the id they name.
func compareReasons(a, b bridge.Reason) int {
	if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
		return c
	}
	return strings.Compare(reasonID(a), reasonID(b))
}

// reasonID is the one id a reason names, if any.
func reasonID(r bridge.Reason) string {
	return r.ThemeID + r.GroupID + r.EventID + r.Language
}

// label is the English label of a theme, or its id when it has none, so that a reason always
// names its theme.
func label(themes map[string]bridge.ThemeInfo, id string) string {
	if l := strings.TrimSpace(themes[id].LabelEn); l != "" {
		return l
	}
	return id
}

// gapText puts a gap into words.
func gapText(g bridge.GapKind) string {
	switch g {
	case bridge.GapAlreadyIntroduced:
		return "You have already been introduced to each other"
	case bridge.GapNoComplementary:
		return "Neither of you seeks a theme the other offers"
	case bridge.GapNoSharedLanguage:
		return "No shared working language"
	case bridge.GapSameCountry:
		return "Works in the same country"
	case bridge.GapSizeUnknown:
		return "Municipality size not known, so not compared"
	}
	return string(g)
}

// approximately rounds a population to two significant digits and groups the thousands
// ("4,312" → "4,300"), since a figure to the last inhabitant suggests a precision it does not
// have.
func approximately(n int) string {
	if n >= 100 {
		p := 1
		for q := n; q >= 100; q /= 10 {
			p *= 10
		}
		n = (n + p/2) / p * p
	}
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}
