package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// testThemes is a small vocabulary in which every theme is equally popular unless its name
// says otherwise, so that tests compare one rule at a time.
var testThemes = map[string]bridge.ThemeInfo{
	"labour":          {Depth: 0, People: 400, LabelEn: "Faster labour-market establishment"},
	"health":          {Depth: 0, People: 400, LabelEn: "Health"},
	"mentoring":       {Depth: 1, People: 400, LabelEn: "Mentoring of newcomers"},
	"housing":         {Depth: 1, People: 400, LabelEn: "Housing"},
	"rare-broad":      {Depth: 0, People: 1, LabelEn: "Rare broad theme"},
	"common-specific": {Depth: 2, People: 1_000_000, LabelEn: "Common specific theme"},
	"unlabelled":      {Depth: 1, People: 400},
}

func offer(id string) bridge.ThemeLink { return bridge.ThemeLink{ThemeID: id, Mode: bridge.ModeOffers} }
func seek(id string) bridge.ThemeLink  { return bridge.ThemeLink{ThemeID: id, Mode: bridge.ModeSeeks} }
func both(id string) bridge.ThemeLink  { return bridge.ThemeLink{ThemeID: id, Mode: bridge.ModeBoth} }

// profile is a person in a country with themes; other fields are set by the tests.
func profile(id, country string, themes ...bridge.ThemeLink) bridge.MatchProfile {
	return bridge.MatchProfile{PersonID: id, CountryCode: country, Themes: themes}
}

func reasonsOf(m bridge.PeerMatch, kind bridge.ReasonKind) []bridge.Reason {
	var out []bridge.Reason
	for _, r := range m.Reasons {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

func hasGap(m bridge.PeerMatch, kind bridge.GapKind) bool {
	return slices.ContainsFunc(m.Missing, func(g bridge.Gap) bool { return g.Kind == kind })
}

func ids(ms []bridge.PeerMatch) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.PersonID
	}
	return out
}

// TestOrderings checks, one rule at a time, that the better candidate scores higher than an
// otherwise identical worse one.
func TestOrderings(t *testing.T) {
	withLangs := func(p bridge.MatchProfile, langs ...string) bridge.MatchProfile { p.Languages = langs; return p }
	withPop := func(p bridge.MatchProfile, pop int) bridge.MatchProfile { p.MunicipalityPopulation = pop; return p }
	withGroups := func(p bridge.MatchProfile, g ...string) bridge.MatchProfile { p.GroupIDs = g; return p }
	withEvents := func(p bridge.MatchProfile, e ...string) bridge.MatchProfile { p.EventIDs = e; return p }
	introducedTo := func(p bridge.MatchProfile, who ...string) bridge.MatchProfile { p.PastIntroductionWith = who; return p }

	tests := []struct {
		name          string
		me            bridge.MatchProfile
		better, worse bridge.MatchProfile
	}{
		{"specific theme beats broad theme",
			profile("me", "SE", offer("labour"), offer("mentoring")),
			profile("b", "SE", offer("mentoring")), profile("w", "SE", offer("labour"))},
		{"specific beats broad however common and rare",
			profile("me", "SE", offer("rare-broad"), offer("common-specific")),
			profile("b", "SE", offer("common-specific")), profile("w", "SE", offer("rare-broad"))},
		{"rarer theme of the same depth weighs more",
			profile("me", "SE", offer("labour"), offer("rare-broad")),
			profile("b", "SE", offer("rare-broad")), profile("w", "SE", offer("labour"))},
		{"complementary beats shared on the same theme",
			profile("me", "SE", seek("labour")),
			profile("b", "SE", offer("labour")), profile("w", "SE", seek("labour"))},
		{"broad complementary beats specific rare shared",
			profile("me", "SE", seek("labour"), offer("mentoring")),
			profile("b", "SE", offer("labour")), profile("w", "SE", offer("mentoring"))},
		{"their seek beats specific shared",
			profile("me", "SE", offer("labour"), offer("mentoring")),
			profile("b", "SE", seek("labour")), profile("w", "SE", offer("mentoring"))},
		{"my seek beats their seek",
			profile("me", "SE", seek("labour"), offer("health")),
			profile("b", "SE", offer("labour")), profile("w", "SE", seek("health"))},
		{"other country beats same country",
			profile("me", "SE", offer("labour")),
			profile("b", "NO", offer("labour")), profile("w", "SE", offer("labour"))},
		{"comparable municipality in another country",
			withPop(profile("me", "IS", offer("labour")), 4312),
			withPop(profile("b", "FI", offer("labour")), 3874), withPop(profile("w", "FI", offer("labour")), 20000)},
		{"identical Nordic language beats Scandinavian pair",
			withLangs(profile("me", "SE", offer("labour")), "sv"),
			withLangs(profile("b", "SE", offer("labour")), "sv"), withLangs(profile("w", "SE", offer("labour")), "da")},
		{"Scandinavian pair beats English",
			withLangs(profile("me", "SE", offer("labour")), "sv", "en"),
			withLangs(profile("b", "SE", offer("labour")), "da"), withLangs(profile("w", "SE", offer("labour")), "en")},
		{"English beats no shared language",
			withLangs(profile("me", "SE", offer("labour")), "sv", "en"),
			withLangs(profile("b", "SE", offer("labour")), "en"), withLangs(profile("w", "SE", offer("labour")), "fi")},
		{"shared group",
			withGroups(profile("me", "SE", offer("labour")), "g1"),
			withGroups(profile("b", "SE", offer("labour")), "g1"), withGroups(profile("w", "SE", offer("labour")), "g2")},
		{"shared group beats shared event",
			withEvents(withGroups(profile("me", "SE", offer("labour")), "g1"), "e1"),
			withGroups(profile("b", "SE", offer("labour")), "g1"), withEvents(profile("w", "SE", offer("labour")), "e1")},
		{"shared event beats nothing",
			withEvents(profile("me", "SE", offer("labour")), "e1"),
			withEvents(profile("b", "SE", offer("labour")), "e1"), profile("w", "SE", offer("labour"))},
		{"already introduced by me is penalised",
			introducedTo(profile("me", "SE", offer("labour")), "w"),
			profile("b", "SE", offer("labour")), profile("w", "SE", offer("labour"))},
		{"already introduced by them is penalised",
			profile("me", "SE", offer("labour")),
			profile("b", "SE", offer("labour")), introducedTo(profile("w", "SE", offer("labour")), "me")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, w := Score(tt.me, tt.better, testThemes), Score(tt.me, tt.worse, testThemes)
			if b.Score <= w.Score {
				t.Fatalf("better scores %v ≤ worse %v\nbetter: %+v\nworse:  %+v", b.Score, w.Score, b, w)
			}
			got := Rank(tt.me, []bridge.MatchProfile{tt.worse, tt.better}, testThemes, bridge.PeerFilter{}, 10)
			if want := []string{tt.better.PersonID, tt.worse.PersonID}; !reflect.DeepEqual(ids(got), want) {
				t.Fatalf("Rank = %v, want %v", ids(got), want)
			}
		})
	}
}

func TestSpecificAlwaysOutweighsBroad(t *testing.T) {
	// The weights promise this for every popularity, not only the test vocabulary's.
	for _, broad := range []int{0, 1, 2, 10, 1000} {
		for _, specific := range []int{0, 1, 1000, 1 << 30} {
			b := themeWeight(bridge.ThemeInfo{Depth: 0, People: broad})
			s := themeWeight(bridge.ThemeInfo{Depth: 1, People: specific})
			if s <= b {
				t.Errorf("specific(%d people) %v ≤ broad(%d people) %v", specific, s, broad, b)
			}
			if c := b + bonusTheirSeek; c <= weightSpecificTheme*(1+rarityBonus) {
				t.Errorf("their-seek on a broad theme %v does not beat the best shared theme", c)
			}
		}
	}
}

func TestThemeReasons(t *testing.T) {
	tests := []struct {
		name     string
		me, them []bridge.ThemeLink
		kind     bridge.ReasonKind
		text     string
		gap      bool // NO_COMPLEMENTARY_THEME
	}{
		{"shared offers", []bridge.ThemeLink{offer("labour")}, []bridge.ThemeLink{offer("labour")},
			bridge.ReasonSharedTheme, "You both offer Faster labour-market establishment", true},
		{"shared seeks", []bridge.ThemeLink{seek("labour")}, []bridge.ThemeLink{seek("labour")},
			bridge.ReasonSharedTheme, "You both seek Faster labour-market establishment", true},
		{"shared, modes unknown", []bridge.ThemeLink{{ThemeID: "labour"}}, []bridge.ThemeLink{{ThemeID: "labour"}},
			bridge.ReasonSharedTheme, "You both work on Faster labour-market establishment", true},
		{"my seek", []bridge.ThemeLink{seek("labour")}, []bridge.ThemeLink{offer("labour")},
			bridge.ReasonComplementaryTheme, "You seek Faster labour-market establishment; they offer it", false},
		{"my seek, their both", []bridge.ThemeLink{seek("labour")}, []bridge.ThemeLink{both("labour")},
			bridge.ReasonComplementaryTheme, "You seek Faster labour-market establishment; they offer it", false},
		{"their seek", []bridge.ThemeLink{offer("labour")}, []bridge.ThemeLink{seek("labour")},
			bridge.ReasonComplementaryTheme, "They seek Faster labour-market establishment; you offer it", false},
		{"both ways", []bridge.ThemeLink{both("labour")}, []bridge.ThemeLink{both("labour")},
			bridge.ReasonComplementaryTheme, "You seek Faster labour-market establishment and they offer it, and the other way round", false},
		{"listed twice merges", []bridge.ThemeLink{seek("labour")}, []bridge.ThemeLink{seek("labour"), offer("labour")},
			bridge.ReasonComplementaryTheme, "You seek Faster labour-market establishment; they offer it", false},
		{"label falls back to id", []bridge.ThemeLink{offer("unlabelled")}, []bridge.ThemeLink{offer("unlabelled")},
			bridge.ReasonSharedTheme, "You both offer unlabelled", true},
		{"theme missing from the map", []bridge.ThemeLink{offer("nowhere")}, []bridge.ThemeLink{offer("nowhere")},
			bridge.ReasonSharedTheme, "You both offer nowhere", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Score(profile("me", "SE", tt.me...), profile("x", "SE", tt.them...), testThemes)
			var themeReasons []bridge.Reason
			for _, r := range m.Reasons {
				if r.ThemeID != "" {
					themeReasons = append(themeReasons, r)
				}
			}
			if len(themeReasons) != 1 {
				t.Fatalf("want one theme reason, got %+v", themeReasons)
			}
			r := themeReasons[0]
			if r.Kind != tt.kind || r.Text != tt.text {
				t.Errorf("reason = %s %q, want %s %q", r.Kind, r.Text, tt.kind, tt.text)
			}
			if got := hasGap(m, bridge.GapNoComplementary); got != tt.gap {
				t.Errorf("NO_COMPLEMENTARY_THEME gap = %v, want %v", got, tt.gap)
			}
		})
	}
}

func TestComplementaryWeights(t *testing.T) {
	me := profile("me", "SE", seek("labour"), offer("health"))
	mine := Score(me, profile("a", "SE", offer("labour")), testThemes)
	theirs := Score(me, profile("b", "SE", seek("health")), testThemes)
	w := round2(themeWeight(testThemes["labour"]))
	if got := mine.Reasons[0].Weight; got != round2(w+bonusMySeek) {
		t.Errorf("my seek weight = %v, want %v", got, round2(w+bonusMySeek))
	}
	if got := theirs.Reasons[0].Weight; got != round2(w+bonusTheirSeek) {
		t.Errorf("their seek weight = %v, want %v", got, round2(w+bonusTheirSeek))
	}
}

func TestCountry(t *testing.T) {
	tests := []struct {
		name      string
		me, them  string
		reason    bool
		gap       bool
		wantScore float64
	}{
		{"other country", "SE", "NO", true, false, 0},
		{"same country", "SE", "SE", false, true, 0},
		{"same country, other case", "SE", " se", false, true, 0},
		{"my country unknown", "", "NO", false, false, 0},
		{"their country unknown", "SE", "", false, false, 0},
	}
	base := Score(profile("me", "", offer("labour")), profile("x", "", offer("labour")), testThemes).Score
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Score(profile("me", tt.me, offer("labour")), profile("x", tt.them, offer("labour")), testThemes)
			rs := reasonsOf(m, bridge.ReasonOtherCountry)
			if got := len(rs) == 1; got != tt.reason {
				t.Fatalf("OTHER_COUNTRY = %+v, want present %v", rs, tt.reason)
			}
			if tt.reason {
				if rs[0].Weight != weightOtherCountry || rs[0].Text != "Works in another Nordic country (NO)" {
					t.Errorf("reason = %+v", rs[0])
				}
				if m.Score != round2(base+weightOtherCountry) {
					t.Errorf("score = %v, want %v", m.Score, round2(base+weightOtherCountry))
				}
			} else if m.Score != base {
				t.Errorf("score = %v, want no bonus (%v)", m.Score, base)
			}
			if got := hasGap(m, bridge.GapSameCountry); got != tt.gap {
				t.Errorf("SAME_COUNTRY gap = %v, want %v", got, tt.gap)
			}
			if tt.gap && m.Missing[len(m.Missing)-1].Text != "Works in the same country" {
				t.Errorf("gap text = %q", m.Missing[len(m.Missing)-1].Text)
			}
		})
	}
}

func TestComparableMunicipality(t *testing.T) {
	tests := []struct {
		name               string
		meCountry, country string
		mePop, pop         int
		want, sizeUnknown  bool
	}{
		{"similar size, other country", "IS", "NO", 4312, 3874, true, false},
		{"exactly twice", "IS", "NO", 1000, 2000, true, false},
		{"just over twice", "IS", "NO", 1000, 2001, false, false},
		{"my population unknown", "IS", "NO", 0, 3874, false, true},
		{"their population unknown", "IS", "NO", 4312, 0, false, true},
		{"both unknown", "IS", "NO", 0, 0, false, true},
		{"same country", "IS", "IS", 4312, 3874, false, false},
		{"same country, size unknown", "DK", "DK", 0, 0, false, false},
		{"country unknown", "IS", "", 4312, 3874, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			me := profile("me", tt.meCountry, offer("labour"))
			me.MunicipalityPopulation = tt.mePop
			them := profile("x", tt.country, offer("labour"))
			them.MunicipalityPopulation = tt.pop
			m := Score(me, them, testThemes)
			rs := reasonsOf(m, bridge.ReasonComparableMunicipality)
			if got := len(rs) == 1; got != tt.want {
				t.Fatalf("COMPARABLE_MUNICIPALITY = %+v, want present %v", rs, tt.want)
			}
			unknown := false
			for _, g := range m.Missing {
				unknown = unknown || g.Kind == bridge.GapSizeUnknown
			}
			if unknown != tt.sizeUnknown {
				t.Errorf("missing %+v, want SIZE_UNKNOWN %v", m.Missing, tt.sizeUnknown)
			}
			if tt.want && rs[0].Weight != weightComparableMunicipality {
				t.Errorf("weight = %v", rs[0].Weight)
			}
			if tt.name == "similar size, other country" {
				if want := "Works in a municipality of similar size (about 3,900 and 4,300 inhabitants)"; rs[0].Text != want {
					t.Errorf("text = %q, want %q", rs[0].Text, want)
				}
			}
		})
	}
}

func TestApproximately(t *testing.T) {
	for n, want := range map[int]string{7: "7", 57: "57", 850: "850", 995: "1,000", 4312: "4,300",
		139875: "140,000", 1_234_567: "1,200,000"} {
		if got := approximately(n); got != want {
			t.Errorf("approximately(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestLanguages(t *testing.T) {
	type lang struct {
		code   string
		weight float64
		text   string
	}
	tests := []struct {
		name     string
		me, them []string
		want     []lang
		gap      bool
	}{
		{"identical Nordic language", []string{"fi"}, []string{"fi"},
			[]lang{{"fi", weightNordicLanguage, "You both work in fi"}}, false},
		{"Scandinavian pair", []string{"sv"}, []string{"da"},
			[]lang{{"da", weightScandinavianLanguage, "You work in sv and they in da, Scandinavian languages that understand each other"}}, false},
		{"Bokmål and Nynorsk", []string{"nb"}, []string{"nn"},
			[]lang{{"nn", weightScandinavianLanguage, "You work in nb and they in nn, Scandinavian languages that understand each other"}}, false},
		{"no pair when a Scandinavian language is shared", []string{"sv", "nb"}, []string{"da", "sv"},
			[]lang{{"sv", weightNordicLanguage, "You both work in sv"}}, false},
		{"one pair only, first in code order", []string{"sv", "nb"}, []string{"nn", "da"},
			[]lang{{"da", weightScandinavianLanguage, "You work in nb and they in da, Scandinavian languages that understand each other"}}, false},
		{"Finnish and a Scandinavian pair", []string{"fi", "sv"}, []string{"fi", "nb"},
			[]lang{{"fi", weightNordicLanguage, "You both work in fi"}, {"nb", weightScandinavianLanguage, "You work in sv and they in nb, Scandinavian languages that understand each other"}}, false},
		{"English counted once", []string{"en", "EN", " en-GB"}, []string{"en-US", "en"},
			[]lang{{"en", weightOtherLanguage, "You both work in en"}}, false},
		{"at most two, English last", []string{"sv", "fi", "en"}, []string{"en", "fi", "sv"},
			[]lang{{"fi", weightNordicLanguage, "You both work in fi"}, {"sv", weightNordicLanguage, "You both work in sv"}}, false},
		{"another language", []string{"ar", "sv"}, []string{"ar", "fi"},
			[]lang{{"ar", weightOtherLanguage, "You both work in ar"}}, false},
		{"Finnish and Swedish share nothing", []string{"fi"}, []string{"sv"}, nil, true},
		{"Icelandic is not Scandinavian here", []string{"is"}, []string{"da"}, nil, true},
		{"unknown on my side: no gap claimed", nil, []string{"sv"}, nil, false},
		{"unknown on their side: no gap claimed", []string{"sv"}, []string{" "}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			me := profile("me", "SE", offer("labour"))
			me.Languages = tt.me
			them := profile("x", "SE", offer("labour"))
			them.Languages = tt.them
			m := Score(me, them, testThemes)
			var got []lang
			for _, r := range reasonsOf(m, bridge.ReasonSharedLanguage) {
				got = append(got, lang{r.Language, r.Weight, r.Text})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("language reasons = %+v, want %+v", got, tt.want)
			}
			if g := hasGap(m, bridge.GapNoSharedLanguage); g != tt.gap {
				t.Errorf("NO_SHARED_LANGUAGE gap = %v, want %v", g, tt.gap)
			}
		})
	}
}

func TestGroupsAndEvents(t *testing.T) {
	me := profile("me", "SE", offer("labour"))
	me.GroupIDs = []string{"g-labour", "g-safe"}
	me.EventIDs = []string{"e-oslo-2017", "e-cph-2018"}
	them := profile("x", "SE", offer("labour"))
	them.GroupIDs = []string{"g-safe", "g-safe", "g-other"}
	them.EventIDs = []string{"e-cph-2018", "e-other"}
	m := Score(me, them, testThemes)

	groups := reasonsOf(m, bridge.ReasonSharedGroup)
	if len(groups) != 1 || groups[0].GroupID != "g-safe" || groups[0].Weight != weightSharedGroup ||
		groups[0].Text != "You are both members of the group g-safe" {
		t.Errorf("group reasons = %+v", groups)
	}
	events := reasonsOf(m, bridge.ReasonSharedEvent)
	if len(events) != 1 || events[0].EventID != "e-cph-2018" || events[0].Weight != weightSharedEvent ||
		events[0].Text != "Both attended the same event (e-cph-2018)" {
		t.Errorf("event reasons = %+v", events)
	}
	if weightSharedGroup <= weightSharedEvent {
		t.Error("a shared group should weigh more than a shared event")
	}
}

func TestAlreadyIntroduced(t *testing.T) {
	for _, tt := range []struct {
		name     string
		mine     []string
		theirs   []string
		want     bool
		wantDiff float64
	}{
		{"never", nil, []string{"someone-else"}, false, 0},
		{"by me", []string{"x"}, nil, true, penaltyAlreadyIntroduced},
		{"by them", nil, []string{"me"}, true, penaltyAlreadyIntroduced},
		{"both ways, penalised once", []string{"x"}, []string{"me"}, true, penaltyAlreadyIntroduced},
	} {
		t.Run(tt.name, func(t *testing.T) {
			me := profile("me", "SE", offer("labour"))
			them := profile("x", "SE", offer("labour"))
			fresh := Score(me, them, testThemes)
			me.PastIntroductionWith = tt.mine
			them.PastIntroductionWith = tt.theirs
			m := Score(me, them, testThemes)
			if got := hasGap(m, bridge.GapAlreadyIntroduced); got != tt.want {
				t.Errorf("ALREADY_INTRODUCED gap = %v, want %v", got, tt.want)
			}
			if diff := round2(fresh.Score - m.Score); diff != tt.wantDiff {
				t.Errorf("penalty = %v, want %v", diff, tt.wantDiff)
			}
			if got := Rank(me, []bridge.MatchProfile{them}, testThemes, bridge.PeerFilter{}, 5); len(got) != 1 {
				t.Errorf("an introduced peer should still be listed, got %v", ids(got))
			}
		})
	}
}

func TestNoSharedThemeIsNotSuggested(t *testing.T) {
	me := profile("me", "IS", seek("labour"))
	me.Languages, me.GroupIDs, me.EventIDs, me.MunicipalityPopulation = []string{"is", "en"}, []string{"g"}, []string{"e"}, 4000
	strong := profile("strong", "NO", offer("health"), offer("housing"))
	strong.Languages, strong.GroupIDs, strong.EventIDs, strong.MunicipalityPopulation = []string{"is", "en"}, []string{"g"}, []string{"e"}, 4000
	none := profile("none", "NO")
	weak := profile("weak", "IS", seek("labour"))

	if s := Score(me, strong, testThemes).Score; s <= 0 {
		t.Fatalf("the non-thematic signals should score, got %v", s)
	}
	got := Rank(me, []bridge.MatchProfile{strong, none, weak}, testThemes, bridge.PeerFilter{}, 10)
	if want := []string{"weak"}; !reflect.DeepEqual(ids(got), want) {
		t.Fatalf("Rank = %v, want %v", ids(got), want)
	}
}

func TestReasonsOrderedAndScoreIsTheirSum(t *testing.T) {
	me := profile("me", "IS", seek("labour"), offer("mentoring"), offer("health"))
	me.Languages, me.GroupIDs, me.EventIDs, me.MunicipalityPopulation = []string{"is", "en", "da"}, []string{"g1"}, []string{"e1", "e2"}, 4000
	them := profile("x", "NO", both("labour"), seek("mentoring"), offer("health"))
	them.Languages, them.GroupIDs, them.EventIDs, them.MunicipalityPopulation = []string{"nb", "en"}, []string{"g1"}, []string{"e2", "e1"}, 5000
	m := Score(me, them, testThemes)

	if !slices.IsSortedFunc(m.Reasons, compareReasons) {
		t.Errorf("reasons not ordered: %+v", m.Reasons)
	}
	sum := 0.0
	for _, r := range m.Reasons {
		sum += r.Weight
		if r.Text == "" || r.Weight <= 0 {
			t.Errorf("reason without words or weight: %+v", r)
		}
	}
	if m.Score != round2(sum) {
		t.Errorf("score %v ≠ sum of weights %v", m.Score, round2(sum))
	}
	if m.Score != math.Round(m.Score*100)/100 {
		t.Errorf("score %v not rounded to two decimals", m.Score)
	}
	// Their seek of a specific theme outweighs my seek of a broad one.
	if first := m.Reasons[0]; first.Kind != bridge.ReasonComplementaryTheme || first.ThemeID != "mentoring" {
		t.Errorf("the strongest reason should be their seek of mentoring, got %+v", first)
	}
	// Both events weigh the same: ordered by id.
	events := reasonsOf(m, bridge.ReasonSharedEvent)
	if len(events) != 2 || events[0].EventID != "e1" || events[1].EventID != "e2" {
		t.Errorf("events = %+v", events)
	}
}

func TestRankFilters(t *testing.T) {
	me := profile("me", "SE", offer("labour"))
	candidates := []bridge.MatchProfile{
		profile("se-1", "SE", offer("labour")),
		profile("no-1", "NO", offer("labour")),
		profile("dk-1", "DK", offer("labour")),
		profile("fi-1", "FI", offer("labour")),
		profile("me", "SE", offer("labour")),   // me, fetched by mistake
		profile("no-1", "NO", offer("labour")), // a duplicate
		profile("", "NO", offer("labour")),     // no id
	}
	tests := []struct {
		name   string
		filter bridge.PeerFilter
		first  int
		want   []string
	}{
		{"no filter", bridge.PeerFilter{}, 10, []string{"dk-1", "fi-1", "no-1", "se-1"}},
		{"first bounds", bridge.PeerFilter{}, 2, []string{"dk-1", "fi-1"}},
		{"first zero", bridge.PeerFilter{}, 0, []string{}},
		{"first negative", bridge.PeerFilter{}, -1, []string{}},
		{"exclude own country", bridge.PeerFilter{ExcludeOwnCountry: true}, 10, []string{"dk-1", "fi-1", "no-1"}},
		{"countries", bridge.PeerFilter{Countries: []string{"NO", "se"}}, 10, []string{"no-1", "se-1"}},
		{"countries and exclude own", bridge.PeerFilter{Countries: []string{"NO", "SE"}, ExcludeOwnCountry: true}, 10, []string{"no-1"}},
		{"other filters are the store's", bridge.PeerFilter{ThemeIDs: []string{"health"}, Languages: []string{"is"}}, 10, []string{"dk-1", "fi-1", "no-1", "se-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Rank(me, candidates, testThemes, tt.filter, tt.first)
			if got == nil {
				t.Fatal("Rank returned nil, want an empty list")
			}
			if !reflect.DeepEqual(ids(got), tt.want) {
				t.Errorf("Rank = %v, want %v", ids(got), tt.want)
			}
		})
	}
	if got := Rank(profile("me", "", offer("labour")), candidates, testThemes, bridge.PeerFilter{ExcludeOwnCountry: true}, 10); len(got) != 4 {
		t.Errorf("an unknown own country excludes nobody, got %v", ids(got))
	}
}

func TestRankDuplicatesKeepTheBetterProfile(t *testing.T) {
	me := profile("me", "SE", seek("labour"))
	weak := profile("x", "SE", offer("health"), seek("labour"))
	strong := profile("x", "SE", offer("labour"))
	for _, cs := range [][]bridge.MatchProfile{{weak, strong}, {strong, weak}} {
		got := Rank(me, cs, testThemes, bridge.PeerFilter{}, 10)
		if len(got) != 1 || !reflect.DeepEqual(got[0], Score(me, strong, testThemes)) {
			t.Errorf("Rank = %+v, want the stronger profile once", got)
		}
	}
	// Equal scores, different explanations: the choice must not depend on the order.
	a := profile("y", "SE", seek("labour"))
	a.EventIDs = []string{"e1"}
	b := profile("y", "SE", seek("labour"))
	b.EventIDs = []string{"e2"}
	me.EventIDs = []string{"e1", "e2"}
	first := Rank(me, []bridge.MatchProfile{a, b}, testThemes, bridge.PeerFilter{}, 10)
	second := Rank(me, []bridge.MatchProfile{b, a}, testThemes, bridge.PeerFilter{}, 10)
	if len(first) != 1 || !reflect.DeepEqual(first, second) {
		t.Errorf("duplicates depend on order:\n%+v\n%+v", first, second)
	}
}

func TestRankTiesBrokenByID(t *testing.T) {
	me := profile("me", "SE", offer("labour"))
	var cs []bridge.MatchProfile
	for _, id := range []string{"c", "a", "e", "b", "d"} {
		cs = append(cs, profile(id, "NO", offer("labour")))
	}
	got := Rank(me, cs, testThemes, bridge.PeerFilter{}, 10)
	if want := []string{"a", "b", "c", "d", "e"}; !reflect.DeepEqual(ids(got), want) {
		t.Fatalf("Rank = %v, want %v", ids(got), want)
	}
}

func TestRankIsDeterministic(t *testing.T) {
	me, cs, themes := population(rand.New(rand.NewPCG(1, 2)), 500)
	want := Rank(me, cs, themes, bridge.PeerFilter{}, 50)
	if len(want) == 0 {
		t.Fatal("no matches in the generated population")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 20 {
		shuffled := slices.Clone(cs)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for k := range shuffled {
			p := &shuffled[k]
			p.Themes, p.Languages, p.GroupIDs, p.EventIDs = shuffledCopy(rng, p.Themes), shuffledCopy(rng, p.Languages), shuffledCopy(rng, p.GroupIDs), shuffledCopy(rng, p.EventIDs)
		}
		if got := Rank(me, shuffled, themes, bridge.PeerFilter{}, 50); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffle %d changed the result", i)
		}
	}
}

func shuffledCopy[T any](rng *rand.Rand, s []T) []T {
	s = slices.Clone(s)
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

// TestProperties checks, over many generated people, what must hold for every match.
func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for round := range 20 {
		me, cs, themes := population(rng, 300)
		for _, m := range Rank(me, cs, themes, bridge.PeerFilter{}, 300) {
			if math.IsNaN(m.Score) || math.IsInf(m.Score, 0) {
				t.Fatalf("round %d: score %v for %s", round, m.Score, m.PersonID)
			}
			if len(m.Reasons) == 0 {
				t.Fatalf("round %d: %s suggested without reasons", round, m.PersonID)
			}
			if m.PersonID == me.PersonID {
				t.Fatalf("round %d: suggested me", round)
			}
			if !slices.ContainsFunc(m.Reasons, func(r bridge.Reason) bool { return r.ThemeID != "" }) {
				t.Fatalf("round %d: %s suggested without a theme", round, m.PersonID)
			}
			if !slices.IsSortedFunc(m.Reasons, compareReasons) {
				t.Fatalf("round %d: reasons of %s not ordered", round, m.PersonID)
			}
			sum := 0.0
			for _, r := range m.Reasons {
				if math.IsNaN(r.Weight) || math.IsInf(r.Weight, 0) || r.Weight <= 0 || r.Text == "" {
					t.Fatalf("round %d: bad reason %+v", round, r)
				}
				sum += r.Weight
			}
			if hasGap(m, bridge.GapAlreadyIntroduced) {
				sum -= penaltyAlreadyIntroduced
			}
			if hasGap(m, bridge.GapNoSharedLanguage) {
				sum -= penaltyNoSharedLanguage
			}
			if m.Score != round2(sum) {
				t.Fatalf("round %d: score %v ≠ weights minus penalty %v", round, m.Score, round2(sum))
			}
			if n := len(reasonsOf(m, bridge.ReasonSharedLanguage)); n > maxLanguageReasons {
				t.Fatalf("round %d: %d language reasons", round, n)
			}
			for _, g := range m.Missing {
				if g.Text == "" {
					t.Fatalf("round %d: gap without words %+v", round, g)
				}
			}
		}
	}
	// Degenerate inputs neither panic nor produce NaN.
	for _, info := range []bridge.ThemeInfo{{}, {Depth: -1, People: -5}, {Depth: 99, People: math.MaxInt}} {
		m := Score(profile("me", "SE", offer("t")), profile("x", "NO", offer("t")), map[string]bridge.ThemeInfo{"t": info})
		if math.IsNaN(m.Score) || math.IsInf(m.Score, 0) || m.Score <= 0 {
			t.Errorf("ThemeInfo %+v: score %v", info, m.Score)
		}
	}
	if got := Rank(bridge.MatchProfile{}, nil, nil, bridge.PeerFilter{}, 10); got == nil || len(got) != 0 {
		t.Errorf("Rank of nothing = %v", got)
	}
}

// population generates a viewer, n candidates with about five themes each, and a vocabulary,
// deterministically from rng.
func population(rng *rand.Rand, n int) (bridge.MatchProfile, []bridge.MatchProfile, map[string]bridge.ThemeInfo) {
	countries := []string{"DK", "FI", "IS", "NO", "SE", "FO", "GL", "AX"}
	languages := []string{"sv", "nb", "nn", "da", "fi", "is", "fo", "kl", "en", "ar", "so"}
	modes := []bridge.ThemeMode{bridge.ModeOffers, bridge.ModeSeeks, bridge.ModeBoth}
	themes := make(map[string]bridge.ThemeInfo, 60)
	for i := range 60 {
		themes[fmt.Sprintf("theme-%02d", i)] = bridge.ThemeInfo{Depth: i % 3, People: rng.IntN(3000), LabelEn: fmt.Sprintf("Theme %d", i)}
	}
	gen := func(id string) bridge.MatchProfile {
		p := bridge.MatchProfile{PersonID: id, CountryCode: countries[rng.IntN(len(countries))]}
		if rng.IntN(3) == 0 {
			p.MunicipalityPopulation = 500 + rng.IntN(200_000)
		}
		for range 3 + rng.IntN(5) {
			p.Themes = append(p.Themes, bridge.ThemeLink{ThemeID: fmt.Sprintf("theme-%02d", rng.IntN(60)), Mode: modes[rng.IntN(3)]})
		}
		for range rng.IntN(4) {
			p.Languages = append(p.Languages, languages[rng.IntN(len(languages))])
		}
		for range rng.IntN(3) {
			p.GroupIDs = append(p.GroupIDs, fmt.Sprintf("group-%d", rng.IntN(6)))
		}
		for range rng.IntN(4) {
			p.EventIDs = append(p.EventIDs, fmt.Sprintf("event-%d", rng.IntN(12)))
		}
		return p
	}
	me := gen("person-me")
	cs := make([]bridge.MatchProfile, n)
	for i := range cs {
		cs[i] = gen(fmt.Sprintf("person-%05d", rng.IntN(n*2))) // some duplicates on purpose
		if rng.IntN(20) == 0 {
			cs[i].PastIntroductionWith = []string{me.PersonID}
		}
	}
	for i := 0; i < n; i += 37 {
		me.PastIntroductionWith = append(me.PastIntroductionWith, cs[i].PersonID)
	}
	cs = append(cs, me) // the store should not, but Rank must cope
	return me, cs, themes
}

func BenchmarkRank(b *testing.B) {
	me, cs, themes := population(rand.New(rand.NewPCG(7, 8)), 5000)
	b.ReportAllocs()
	for b.Loop() {
		if got := Rank(me, cs, themes, bridge.PeerFilter{ExcludeOwnCountry: true}, 20); len(got) == 0 {
			b.Fatal("no matches")
		}
	}
}

func TestEveryGapHasWords(t *testing.T) {
	for _, k := range []bridge.GapKind{bridge.GapAlreadyIntroduced, bridge.GapNoComplementary, bridge.GapNoSharedLanguage, bridge.GapSameCountry, bridge.GapSizeUnknown} {
		if txt := gapText(k, bridge.SecondPerson); txt == string(k) || strings.TrimSpace(txt) == "" {
			t.Errorf("gap %s has no words", k)
		}
	}
}
