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
	w := v.wording(other)
	for _, r := range e.reasons {
		out := bridge.Reason{Kind: r.kind, Weight: r.weight}
		switch r.kind {
		case bridge.ReasonSharedTheme, bridge.ReasonComplementaryTheme, bridge.ReasonRelatedTheme:
			out.ThemeID, out.RelatedThemeID, out.Relation = r.id, r.related, r.relation
			out.PersonMode, out.PeerMode = modeOf(r.myModes), modeOf(r.theirModes)
			out.Text = w.theme(r, themes)
		case bridge.ReasonOtherCountry:
			out.Text = "Works in another Nordic country (" + strings.ToUpper(strings.TrimSpace(other.CountryCode)) + ")"
		case bridge.ReasonComparableMunicipality:
			out.Text = "Works in a municipality of similar size (about " + approximately(other.MunicipalityPopulation) +
				" and " + approximately(v.population) + " inhabitants)"
		case bridge.ReasonSharedLanguage:
			out.Language = r.id
			if r.mine != "" {
				out.Text = w.me + " " + w.conj("work", "works") + " in " + r.mine + " and " + w.them + " in " + r.id +
					", Scandinavian languages that understand each other"
			} else {
				out.Text = w.both + " work in " + r.id
			}
		case bridge.ReasonSharedGroup:
			out.GroupID = r.id
			out.Text = w.areBoth + " members of the group " + r.id
		case bridge.ReasonSharedEvent:
			out.EventID = r.id
			out.Text = "Both attended the same event (" + r.id + ")"
		}
		m.Reasons = append(m.Reasons, out)
	}
	slices.SortFunc(m.Reasons, compareReasons)
	for _, g := range e.gaps {
		m.Missing = append(m.Missing, bridge.Gap{Kind: g, Text: gapText(g, v.persp)})
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
func gapText(g bridge.GapKind, p bridge.Perspective) string {
	switch {
	case g == bridge.GapAlreadyIntroduced && p != bridge.SecondPerson:
		return "Already introduced to each other"
	case g == bridge.GapNoComplementary && p == bridge.Request:
		return "Does not offer the theme sought"
	case g == bridge.GapNoComplementary && p == bridge.ThirdPerson:
		return "Neither seeks a theme the other offers"
	}
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

// wording is how the two sides are named from a perspective.
type wording struct {
	persp    bridge.Perspective
	me, them string // the subjects: "You" and "they", or the names
	both     string // "You both", "Anna and Ola both"
	areBoth  string // "You are both", "Anna and Ola are both"
}

func (v *viewer) wording(other *bridge.MatchProfile) wording {
	switch v.persp {
	case bridge.ThirdPerson:
		me, them := nameOr(v.name, "One"), nameOr(other.Name, "the other")
		return wording{persp: v.persp, me: me, them: them, both: me + " and " + them + " both", areBoth: me + " and " + them + " are both"}
	case bridge.Request:
		return wording{persp: v.persp, me: "The request", them: "They", both: "Both", areBoth: "Both are"}
	}
	return wording{persp: v.persp, me: "You", them: "they", both: "You both", areBoth: "You are both"}
}

func nameOr(name, fallback string) string {
	if n := strings.TrimSpace(name); n != "" {
		return n
	}
	return fallback
}

// meInside is the first side inside a sentence: "you", or the name.
func (w wording) meInside() string {
	if w.persp == bridge.ThirdPerson {
		return w.me
	}
	return strings.ToLower(w.me[:1]) + w.me[1:]
}

// conj is the verb for the first side: "you seek", "Anna seeks".
func (w wording) conj(plural, singular string) string {
	if w.persp == bridge.SecondPerson {
		return plural
	}
	return singular
}

// verbs are how a side works on a theme, for the words: offer, seek or work on.
func verbs(m modes) (plural, singular string) {
	switch m {
	case offers:
		return "offer", "offers"
	case seeks:
		return "seek", "seeks"
	}
	return "work on", "works on"
}

// relationWords names a relation of their theme to mine.
func relationWords(r bridge.ThemeRelation) string {
	switch r {
	case bridge.RelationBroader:
		return "the broader theme of"
	case bridge.RelationNarrower:
		return "a narrower theme of"
	}
	return "a theme beside"
}

// theme puts a theme reason into words: who seeks and who offers, or what both do.
func (w wording) theme(r reason, themes map[string]bridge.ThemeInfo) string {
	x := label(themes, r.id)
	// The verbs: for a complementary reason, the direction; else how each works on it.
	myV, theirV := r.myModes, r.theirModes
	switch r.dir {
	case iSeek:
		myV, theirV = seeks, offers
	case theySeek:
		myV, theirV = offers, seeks
	}
	myP, myS := verbs(myV)
	theirP, theirS := verbs(theirV)
	mine := myP
	if w.persp != bridge.SecondPerson {
		mine = myS
	}
	if r.kind == bridge.ReasonRelatedTheme {
		y := label(themes, r.related)
		what := "what " + w.meInside() + " " + mine + " (" + x + ")"
		if myV != offers && myV != seeks {
			what = x
		}
		subject, verb := w.them, theirS
		switch w.persp {
		case bridge.SecondPerson:
			subject, verb = "They", theirP
		case bridge.Request:
			return capital(theirS) + " " + y + ", " + relationWords(r.relation) + " " + x
		}
		return subject + " " + verb + " " + y + ", " + relationWords(r.relation) + " " + what
	}
	if w.persp == bridge.Request {
		switch {
		case r.dir == iSeek || r.dir == bothWays:
			return "Offers " + x
		case theirV == seeks:
			return "Also seeks " + x
		}
		return capital(theirS) + " " + x
	}
	if r.dir == bothWays {
		return w.me + " " + w.conj("seek", "seeks") + " " + x + " and " + pronoun(w) + " " + w.conj("offer", "offers") +
			" it, and the other way round"
	}
	if r.dir == theySeek {
		return capital(w.them) + " " + theirVerb(w, "seek", "seeks") + " " + x + "; " + w.meInside() + " " + mine + " it"
	}
	if r.dir != 0 || myV != theirV {
		return w.me + " " + mine + " " + x + "; " + w.them + " " + theirVerb(w, theirP, theirS) + " it"
	}
	return w.both + " " + myP + " " + x
}

// theirVerb conjugates the other side's verb: "they offer", "Ola offers".
func theirVerb(w wording, plural, singular string) string {
	if w.persp == bridge.SecondPerson {
		return plural
	}
	return singular
}

// pronoun is the other side, for "and they offer it".
func pronoun(w wording) string {
	return w.them
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// modeOf turns modes back into the API's mode ("" when neither).
func modeOf(m modes) bridge.ThemeMode {
	switch m {
	case offers:
		return bridge.ModeOffers
	case seeks:
		return bridge.ModeSeeks
	case offers | seeks:
		return bridge.ModeBoth
	}
	return ""
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
