package bridge

import (
	"reflect"
	"testing"
)

func TestProfilePatchChangesOnlyTheFieldsGiven(t *testing.T) {
	p := Person{GivenName: "Anna", FamilyName: "Berg", Title: "Coordinator", Bio: "Bio", Phone: "+46 1",
		Languages: []string{"sv", "en"}, CountryCode: "SE", MunicipalityID: "SE-1280", OpenToIntroductions: true, IntroductionsPerQuarter: 3}
	whole := ProfileInput{GivenName: "Anna", FamilyName: "Berg", Title: "Coordinator", Bio: "Bio", Phone: "+46 1",
		Languages: []string{"sv", "en"}, CountryCode: "SE", MunicipalityID: "SE-1280", OpenToIntroductions: true, IntroductionsPerQuarter: 3}
	title, empty, no, fi, muni := "Head of unit", "", false, "FI", "FI-091"
	langs := []string{"fi"}
	for name, c := range map[string]struct {
		patch ProfilePatch
		edit  func(*ProfileInput)
	}{
		"nothing":                     {ProfilePatch{}, func(*ProfileInput) {}},
		"a new title keeps the rest":  {ProfilePatch{Title: &title}, func(in *ProfileInput) { in.Title = title }},
		"empty clears":                {ProfilePatch{Bio: &empty, Phone: &empty, MunicipalityID: &empty}, func(in *ProfileInput) { in.Bio, in.Phone, in.MunicipalityID = "", "", "" }},
		"languages and openness":      {ProfilePatch{Languages: &langs, OpenToIntroductions: &no}, func(in *ProfileInput) { in.Languages, in.OpenToIntroductions = langs, false }},
		"a new country clears":        {ProfilePatch{CountryCode: &fi}, func(in *ProfileInput) { in.CountryCode, in.MunicipalityID = fi, "" }},
		"a new country and its place": {ProfilePatch{CountryCode: &fi, MunicipalityID: &muni}, func(in *ProfileInput) { in.CountryCode, in.MunicipalityID = fi, muni }},
	} {
		want := whole
		want.Languages = append([]string(nil), whole.Languages...)
		c.edit(&want)
		if got := c.patch.Apply(p); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
}
