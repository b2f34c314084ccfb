package bridge

import (
	"errors"
	"reflect"
	"testing"
)

func TestProfilePatchChangesOnlyTheFieldsGiven(t *testing.T) {
	p := Person{GivenName: "Anna", FamilyName: "Berg", Title: "Coordinator", Bio: "Bio", Phone: "+46 1",
		Languages: []string{"sv", "en"}, CountryCode: "SE", MunicipalityID: "SE-1280", OpenToIntroductions: true, IntroductionsPerQuarter: 3,
		Language: "sv"}
	whole := ProfileInput{GivenName: "Anna", FamilyName: "Berg", Title: "Coordinator", Bio: "Bio", Phone: "+46 1",
		Languages: []string{"sv", "en"}, CountryCode: "SE", MunicipalityID: "SE-1280", OpenToIntroductions: true, IntroductionsPerQuarter: 3,
		Language: "sv"}
	title, empty, no, fi, muni, is := "Head of unit", "", false, "FI", "FI-091", "is"
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
		"only the language":           {ProfilePatch{Language: &is}, func(in *ProfileInput) { in.Language = is }},
	} {
		want := whole
		want.Languages = append([]string(nil), whole.Languages...)
		c.edit(&want)
		if got := c.patch.Apply(p); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", name, got, want)
		}
	}
}

// TestProfileLanguage: the language Bridge writes in is one of the six, exactly; none chosen is
// English; a bad one is BAD_USER_INPUT at its field.
func TestProfileLanguage(t *testing.T) {
	in := ProfileInput{GivenName: "Anna", FamilyName: "Berg", CountryCode: "SE"}
	for _, lang := range append([]string{""}, MessageLanguages...) {
		in.Language = lang
		if err := in.Validate("input"); err != nil {
			t.Errorf("%q: %v", lang, err)
		}
	}
	for _, lang := range []string{"SV", "no", "nn", "sv-SE", "de", " sv"} {
		in.Language = lang
		err := in.Validate("input")
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeBadUserInput || !reflect.DeepEqual(e.Field, []string{"input", "language"}) {
			t.Errorf("%q: got %v, want BAD_USER_INPUT at input.language", lang, err)
		}
	}
	if MessageLanguage("") != "en" || MessageLanguage("xx") != "en" || MessageLanguage("nb") != "nb" {
		t.Fatal("MessageLanguage: want en for none or unknown, the language otherwise")
	}
}
