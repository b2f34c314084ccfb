package demo

import (
	"reflect"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestDemoDataPassesTheInputRules: a demo person or organisation could be sent back unchanged
// through the API (updateMyProfile, setMyAffiliations, updateOrganisation) or a CSV import of an
// export, so the generated data must pass the same rules (bridge.ProfileInput.Clean and friends,
// text.go) and already be in the stored form: NFC, trimmed, phones of E.164 shape (+00 …).
func TestDemoDataPassesTheInputRules(t *testing.T) {
	g, err := New(testReference(), 2000, 7)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i, p := range g.People(0, 2000) {
		in := bridge.ProfileInput{GivenName: p.GivenName, FamilyName: p.FamilyName, Title: p.Title, Bio: p.Bio, Phone: p.Phone,
			Languages: p.Languages, CountryCode: p.CountryCode, MunicipalityID: p.MunicipalityID,
			OpenToIntroductions: p.OpenToIntroductions, IntroductionsPerQuarter: p.IntroductionsPerQuarter}
		got, err := in.Clean("input")
		if err != nil {
			t.Fatalf("person %d: %v (%+q)", i, err, []string{p.GivenName, p.FamilyName, p.Title, p.Phone})
		}
		if !reflect.DeepEqual(got, in) {
			t.Fatalf("person %d is not in the stored form:\n got %+v\nwant %+v", i, in, got)
		}
		for j, a := range p.Affiliations {
			if c, err := a.Clean(nil, now); err != nil || c != a {
				t.Fatalf("person %d affiliation %d %+v: %v", i, j, a, err)
			}
		}
		for j, m := range p.Memberships {
			if err := bridge.ValidatePeriod(nil, m.Since, m.Until, now); err != nil {
				t.Fatalf("person %d membership %d %+v: %v", i, j, m, err)
			}
		}
	}
	for _, o := range g.Organisations() {
		if c, err := o.Clean("input"); err != nil || !reflect.DeepEqual(c, o) {
			t.Fatalf("organisation %s: %v", o.ID, err)
		}
	}
}
