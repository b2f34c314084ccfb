package matching

import (
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// relatedThemes is a small hierarchy: language learning with two narrower themes, and one theme
// under two broader ones.
var relatedThemes = map[string]bridge.ThemeInfo{
	"language":  {Depth: 0, People: 400, LabelEn: "Language learning"},
	"adult":     {Depth: 1, People: 400, LabelEn: "Adult language training", Broader: []string{"language"}},
	"workplace": {Depth: 1, People: 400, LabelEn: "Workplace language learning", Broader: []string{"language", "labour"}},
	"labour":    {Depth: 0, People: 400, LabelEn: "Faster labour-market establishment"},
	"health":    {Depth: 0, People: 400, LabelEn: "Health"},
}

func TestRelatedThemesEarnPartialCredit(t *testing.T) {
	tests := []struct {
		name     string
		me, them bridge.ThemeLink
		relation bridge.ThemeRelation
		text     string
		gap      bool
	}{
		{"they offer the broader theme of my seek", seek("adult"), offer("language"), bridge.RelationBroader,
			"They offer Language learning, the broader theme of what you seek (Adult language training)", false},
		{"they offer a narrower theme of my seek", seek("language"), offer("adult"), bridge.RelationNarrower,
			"They offer Adult language training, a narrower theme of what you seek (Language learning)", false},
		{"they seek a sibling of my offer", offer("adult"), seek("workplace"), bridge.RelationSibling,
			"They seek Workplace language learning, a theme beside what you offer (Adult language training)", false},
		{"both seek related themes", seek("adult"), seek("language"), bridge.RelationBroader,
			"They seek Language learning, the broader theme of what you seek (Adult language training)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Score(profile("me", "SE", tt.me), profile("x", "NO", tt.them), relatedThemes)
			rs := reasonsOf(m, bridge.ReasonRelatedTheme)
			if len(rs) != 1 {
				t.Fatalf("related reasons %+v", m.Reasons)
			}
			r := rs[0]
			if r.Relation != tt.relation || r.ThemeID != tt.me.ThemeID || r.RelatedThemeID != tt.them.ThemeID ||
				r.PersonMode != tt.me.Mode || r.PeerMode != tt.them.Mode || r.Text != tt.text {
				t.Errorf("reason %+v, want relation %s, %s → %s, text %q", r, tt.relation, tt.me.ThemeID, tt.them.ThemeID, tt.text)
			}
			if hasGap(m, bridge.GapNoComplementary) != tt.gap {
				t.Errorf("NO_COMPLEMENTARY_THEME gap: %+v", m.Missing)
			}
		})
	}
	// Partial: the same theme, offered, beats the broader one offered, which beats a sibling;
	// an unrelated theme is no reason at all.
	me := profile("me", "SE", seek("adult"))
	exact := Score(me, profile("a", "NO", offer("adult")), relatedThemes)
	broader := Score(me, profile("b", "NO", offer("language")), relatedThemes)
	sibling := Score(me, profile("c", "NO", offer("workplace")), relatedThemes)
	if !(exact.Score > broader.Score && broader.Score > sibling.Score && sibling.Score > 0) {
		t.Errorf("scores exact %v, broader %v, sibling %v: want decreasing", exact.Score, broader.Score, sibling.Score)
	}
	got := Rank(me, []bridge.MatchProfile{profile("d", "NO", offer("health")), profile("b", "NO", offer("language"))}, relatedThemes, bridge.PeerFilter{}, 10)
	if len(got) != 1 || got[0].PersonID != "b" {
		t.Errorf("ranked %+v, want only the related b", got)
	}
	// A theme they share exactly is not counted again as related to another of mine.
	both := Score(profile("me", "SE", seek("adult"), seek("language")), profile("e", "NO", offer("language")), relatedThemes)
	if n := len(reasonsOf(both, bridge.ReasonRelatedTheme)); n != 0 {
		t.Errorf("%d related reasons beside the exact one: %+v", n, both.Reasons)
	}
	// Partial credit stands in for complementarity a match lacks: next to a theme of mine that
	// they complement outright, a related theme adds nothing.
	full := Score(profile("me", "SE", seek("adult"), seek("health")), profile("g", "NO", offer("health"), offer("workplace")), relatedThemes)
	if n := len(reasonsOf(full, bridge.ReasonRelatedTheme)); n != 0 {
		t.Errorf("a related reason beside an exact complementary one: %+v", full.Reasons)
	}
	// At most maxRelatedReasons.
	many := Score(profile("me", "SE", seek("language")), profile("f", "NO", offer("adult"), offer("workplace")), relatedThemes)
	if n := len(reasonsOf(many, bridge.ReasonRelatedTheme)); n > maxRelatedReasons {
		t.Errorf("%d related reasons", n)
	}
}

func TestNoSharedLanguageRanksDown(t *testing.T) {
	me := profile("me", "SE", seek("adult"))
	me.Languages = []string{"sv", "en"}
	with, without := profile("a", "NO", offer("adult")), profile("b", "NO", offer("adult"))
	with.Languages, without.Languages = []string{"en"}, []string{"fi"}
	w, wo := Score(me, with, relatedThemes), Score(me, without, relatedThemes)
	if !hasGap(wo, bridge.GapNoSharedLanguage) || w.Score-wo.Score < penaltyNoSharedLanguage {
		t.Errorf("with a language %v, without %v (gaps %+v): want the gap and a penalty beyond the language's weight", w.Score, wo.Score, wo.Missing)
	}
}

func TestComparableMunicipalityPrefersTheSameSizeClass(t *testing.T) {
	me := profile("me", "SE", seek("adult"))
	me.MunicipalityPopulation = 45_000 // MEDIUM
	same, across, far := profile("a", "NO", offer("adult")), profile("b", "NO", offer("adult")), profile("c", "NO", offer("adult"))
	same.MunicipalityPopulation, across.MunicipalityPopulation, far.MunicipalityPopulation = 30_000, 60_000, 200_000
	weight := func(m bridge.PeerMatch) float64 {
		if rs := reasonsOf(m, bridge.ReasonComparableMunicipality); len(rs) == 1 {
			return rs[0].Weight
		}
		return 0
	}
	ws, wa, wf := weight(Score(me, same, relatedThemes)), weight(Score(me, across, relatedThemes)), weight(Score(me, far, relatedThemes))
	if ws != weightComparableMunicipality || wa != weightComparableMunicipality-weightSameSizeClass || wf != 0 {
		t.Errorf("comparable weights: same class %v, across a boundary %v, 4× larger %v", ws, wa, wf)
	}
}

func TestReasonsReadRightFromEachPerspective(t *testing.T) {
	anna := bridge.MatchProfile{PersonID: "a", Name: "Anna Berg", CountryCode: "SE", Languages: []string{"sv"},
		Themes: []bridge.ThemeLink{seek("adult"), seek("health"), offer("labour")}, GroupIDs: []string{"g"}}
	ola := bridge.MatchProfile{PersonID: "o", Name: "Ola Nordmann", CountryCode: "NO", Languages: []string{"nb"},
		Themes: []bridge.ThemeLink{seek("health"), offer("labour"), offer("language")}, GroupIDs: []string{"g"}}
	texts := func(m bridge.PeerMatch) string {
		var b strings.Builder
		for _, r := range m.Reasons {
			b.WriteString(r.Text + "\n")
		}
		return b.String()
	}
	second := texts(ScoreAs(bridge.SecondPerson, anna, ola, relatedThemes))
	third := texts(ScoreAs(bridge.ThirdPerson, anna, ola, relatedThemes))
	for _, want := range []string{"You both seek Health", "You both offer Faster labour-market establishment",
		"They offer Language learning, the broader theme of what you seek (Adult language training)",
		"You work in sv and they in nb", "You are both members of the group g"} {
		if !strings.Contains(second, want) {
			t.Errorf("second person lacks %q:\n%s", want, second)
		}
	}
	for _, want := range []string{"Anna Berg and Ola Nordmann both seek Health",
		"Anna Berg and Ola Nordmann both offer Faster labour-market establishment",
		"Ola Nordmann offers Language learning, the broader theme of what Anna Berg seeks (Adult language training)",
		"Anna Berg works in sv and Ola Nordmann in nb", "Anna Berg and Ola Nordmann are both members of the group g"} {
		if !strings.Contains(third, want) {
			t.Errorf("third person lacks %q:\n%s", want, third)
		}
	}
	if strings.Contains(third, "You") || strings.Contains(third, "you") {
		t.Errorf("third person speaks to the viewer:\n%s", third)
	}
	ola.Themes = []bridge.ThemeLink{seek("labour"), offer("health")}
	if got := texts(ScoreAs(bridge.ThirdPerson, anna, ola, relatedThemes)); !strings.Contains(got, "Ola Nordmann seeks Faster labour-market establishment; Anna Berg offers it") ||
		!strings.Contains(got, "Anna Berg seeks Health; Ola Nordmann offers it") {
		t.Errorf("third person, complementary:\n%s", got)
	}
	request := bridge.MatchProfile{Themes: []bridge.ThemeLink{seek("adult")}}
	req := texts(ScoreAs(bridge.Request, request, bridge.MatchProfile{PersonID: "x", Themes: []bridge.ThemeLink{offer("adult"), offer("workplace")}}, relatedThemes))
	if !strings.Contains(req, "Offers Adult language training") || strings.Contains(req, "you") {
		t.Errorf("request words:\n%s", req)
	}
}
