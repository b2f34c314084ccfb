package bridge

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// badInput returns the field path of a BAD_USER_INPUT error, or a description of what err is.
func badInput(err error) string {
	var e *Error
	switch {
	case err == nil:
		return "<nil>"
	case !errors.As(err, &e) || e.Code != CodeBadUserInput:
		return "not BAD_USER_INPUT: " + err.Error()
	}
	return strings.Join(e.Field, ".")
}

// The characters that must never reach the database from a client or an import file.
var (
	rlo         = "\u202E" // RIGHT-TO-LEFT OVERRIDE: "Anna\u202Egreb" shows as "Annaberg" reversed
	zeroWidth   = "\u200B\u200C\u200D\uFEFF\u2060"
	decomposed  = "Ma\u0308lmo\u0308" // Mälmö with combining diaereses (NFD, as macOS file names)
	composed    = "M\u00e4lm\u00f6"
	persian     = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645" // ZWNJ inside a Persian word
	womanTechie = "\U0001F469\u200D\U0001F4BB"                       // emoji ZWJ sequence
)

func TestCleanLine(t *testing.T) {
	cases := []struct {
		name, in string
		want     string // the cleaned value when valid
		reject   bool
	}{
		{"plain", "Anna", "Anna", false},
		{"trimmed", "  Anna Berg \t", "Anna Berg", false},
		{"NFC", decomposed, composed, false},
		{"NFC and trimmed", " " + decomposed + " ", composed, false},
		{"Nordic letters", "Þórunn Ægisdóttir Øvergård-Åberg", "Þórunn Ægisdóttir Øvergård-Åberg", false},
		{"apostrophe", "O'Brien", "O'Brien", false},
		{"ZWNJ inside a word", persian, persian, false},
		{"ZWJ inside an emoji", "Anna " + womanTechie, "Anna " + womanTechie, false},
		{"right-to-left mark beside Arabic", "\u0639\u0644\u064a\u200f (Ali)", "\u0639\u0644\u064a\u200f (Ali)", false},
		{"zero-width around the name", "\u200bAnna\ufeff", "Anna", false},
		{"NUL", "Anna\x00", "", true},
		{"ESC (ANSI colour)", "\x1b[31mAnna\x1b[0m", "", true},
		{"C1 CSI", "Anna\u009b31m", "", true},
		{"DEL", "Anna\x7f", "", true},
		{"tab", "Anna\tBerg", "", true},
		{"newline", "Anna\nBerg", "", true},
		{"carriage return", "Anna\rBerg", "", true},
		{"line separator", "Anna\u2028Berg", "", true},
		{"paragraph separator", "Anna\u2029Berg", "", true},
		{"next line (C1)", "Anna\u0085Berg", "", true},
		{"right-to-left override", "Anna" + rlo + "greB", "", true},
		{"left-to-right embedding", "\u202aAnna\u202c", "", true},
		{"right-to-left isolate", "\u2067Anna\u2069", "", true},
		{"first strong isolate", "\u2068Anna", "", true},
		{"deprecated format character", "Anna\u206e", "", true},
		{"interlinear annotation", "\ufff9Anna\ufffaBerg\ufffb", "", true},
		{"zero-width only", zeroWidth, "", true},
		{"spaces and zero-width only", " \u200b \u00a0 \u2060 ", "", true},
		{"soft hyphen only", "\u00ad", "", true},
		{"Hangul filler only", "\u3164\u3164", "", true},
		{"braille blank only", "\u2800", "", true},
		{"marks only", "\u200e\u200f", "", true},
		{"empty", "", "", true},
		{"invalid UTF-8", "Anna\xffBerg", "", true},
		{"too long", strings.Repeat("x", 41), "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := CleanLine([]string{"input", "givenName"}, c.in, true, 40)
			if c.reject {
				if f := badInput(err); f != "input.givenName" {
					t.Fatalf("CleanLine(%q) = %q, %s; want BAD_USER_INPUT at input.givenName", c.in, got, f)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("CleanLine(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
		})
	}
}

func TestCleanLineOptionalAndLength(t *testing.T) {
	p := []string{"title"}
	if got, err := CleanLine(p, "  \u200b ", false, 10); err != nil || got != "" {
		t.Fatalf("optional blank = %q, %v; want empty", got, err)
	}
	if got, err := CleanLine(p, "\u200e", false, 10); badInput(err) != "title" {
		t.Fatalf("optional text of marks only = %q, %v; want refused", got, err)
	}
	// The limit counts characters of the stored (NFC) form: 10 decomposed ä are 20 code points.
	if got, err := CleanLine(p, strings.Repeat("a\u0308", 10), true, 10); err != nil || got != strings.Repeat("ä", 10) {
		t.Fatalf("10 decomposed ä = %q, %v; want 10 composed", got, err)
	}
	if _, err := CleanLine(p, strings.Repeat("ä", 11), true, 10); badInput(err) != "title" {
		t.Fatalf("11 characters at a limit of 10: %v", err)
	}
}

func TestCleanText(t *testing.T) {
	p := []string{"input", "bio"}
	valid := []struct{ in, want string }{
		{"First line.\nSecond line.", "First line.\nSecond line."},
		{"Windows\r\nline ends\r\n", "Windows\nline ends"},
		{"old Mac\rline end", "old Mac\nline end"},
		{"separators\u2028line\u2029paragraph", "separators\nline\nparagraph"},
		{"a\ttab", "a\ttab"},
		{"\n\n  " + decomposed + "\n\n", composed},
		{"\u200b", ""},
	}
	for _, v := range valid {
		if got, err := CleanText(p, v.in, false, 100); err != nil || got != v.want {
			t.Errorf("CleanText(%q) = %q, %v; want %q", v.in, got, err, v.want)
		}
	}
	for _, in := range []string{"NUL\x00", "\x1b[2J cleared", "bell\a", "C1\u0090", "over" + rlo + "ride", "iso\u2066late\u2069",
		"\u00ad\n\u200e", "bad\xc3"} {
		if got, err := CleanText(p, in, false, 100); badInput(err) != "input.bio" {
			t.Errorf("CleanText(%q) = %q, %v; want refused at input.bio", in, got, err)
		}
	}
	if _, err := CleanText(p, zeroWidth+"\n \n", true, 100); badInput(err) != "input.bio" {
		t.Errorf("required text of zero-width characters and blank lines: %v", err)
	}
}

func TestCleanPhone(t *testing.T) {
	p := []string{"input", "phone"}
	valid := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"+46 8 123 456 78", "+46 8 123 456 78"},
		{"+358 (0)40 123 4567", "+358 (0)40 123 4567"},
		{"040-123 45 67", "040-123 45 67"},
		{"+4712345678", "+4712345678"},
		{"+00 555 0100", "+00 555 0100"},       // test fixtures: +00 does not exist, so it is never dialled
		{"+00 12 34 56 78", "+00 12 34 56 78"}, // the demo generator's form (seed/demo fakePhone)
		{"+00 555 010", "+00 555 010"},
		{" +354 555 0100 ", "+354 555 0100"},
		{"+46\u00a08\u202f123\u2011456", "+46 8 123-456"}, // no-break spaces and hyphens from a word processor
		{"123456", "123456"},
		{"+123 456 789 012 345", "+123 456 789 012 345"}, // 15 digits
	}
	for _, v := range valid {
		if got, err := CleanPhone(p, v.in); err != nil || got != v.want {
			t.Errorf("CleanPhone(%q) = %q, %v; want %q", v.in, got, err, v.want)
		}
	}
	for _, in := range []string{"call me", "12345", "+1234 5678 9012 3456", "++46 8 123 456", "46+ 8 123 456",
		"+46 8 123 456 ext. 5", "+46.8.123.456", "+46/8/123456", "(040 123 456", "040) 123 456", "((040)) 123 456",
		"+46 8 123\x00456", "+46 8 " + rlo + "123 456", "+46\n8 123 456", "\u0661\u0662\u0663\u0664\u0665\u0666\u0667",
		"+46 8 123 456 78" + strings.Repeat(" ", 30) + "9"} {
		if got, err := CleanPhone(p, in); badInput(err) != "input.phone" {
			t.Errorf("CleanPhone(%q) = %q, %v; want refused at input.phone", in, got, err)
		}
	}
}

func TestDates(t *testing.T) {
	now := day("2026-05-20T23:30:00Z") // already 21 May in Helsinki
	p := []string{"since"}
	for _, v := range []string{"", "1900-01-01", "2021-08-01", "2026-05-20", "2026-05-21", "2024-02-29"} {
		if err := ValidateSince(p, v, now); err != nil {
			t.Errorf("ValidateSince(%q) = %v", v, err)
		}
	}
	for _, v := range []string{"9999-12-31", "2026-05-22", "2027-01-01", "1899-12-31", "0001-01-01", "2025-02-29",
		"2024-02-30", "2024-13-01", "2024-1-5", "2024-01-31T00:00:00Z", " 2024-01-31", "31.01.2024", "yesterday"} {
		if err := ValidateSince(p, v, now); badInput(err) != "since" {
			t.Errorf("ValidateSince(%q) = %v, want refused at since", v, err)
		}
	}
	if _, err := ParseDate(p, "2100-12-31"); err != nil {
		t.Errorf("ParseDate(2100-12-31) = %v", err)
	}
	if _, err := ParseDate(p, "2101-01-01"); badInput(err) != "since" {
		t.Errorf("ParseDate(2101-01-01) = %v, want refused", err)
	}
	m := []string{"input"}
	ok := [][2]string{{"2020-01-01", ""}, {"2020-01-01", "2020-01-01"}, {"2020-01-01", "2028-12-31"}, {"", ""}}
	for _, c := range ok {
		if err := ValidatePeriod(m, c[0], c[1], now); err != nil {
			t.Errorf("ValidatePeriod(%q, %q) = %v", c[0], c[1], err)
		}
	}
	bad := []struct{ since, until, field string }{
		{"2020-01-01", "2019-12-31", "input.until"},
		{"2020-01-01", "9999-12-31", "input.until"},
		{"9999-12-31", "", "input.since"},
		{"", "2020-01-01", "input.since"}, // an end needs a start
		{"2020-01-01", "2020-02-30", "input.until"},
	}
	for _, c := range bad {
		if err := ValidatePeriod(m, c.since, c.until, now); badInput(err) != c.field {
			t.Errorf("ValidatePeriod(%q, %q) = %v, want refused at %s", c.since, c.until, err, c.field)
		}
	}
}

func TestAffiliationClean(t *testing.T) {
	now := day("2026-05-20T10:00:00Z")
	p := []string{"affiliations", "0"}
	got, err := Affiliation{OrganisationID: "se-x", Role: "  " + decomposed + " coordinator ", Since: "2021-08-01"}.Clean(p, now)
	if err != nil || got.Role != composed+" coordinator" || got.Since != "2021-08-01" || got.OrganisationID != "se-x" {
		t.Errorf("Clean = %+v, %v", got, err)
	}
	bad := []struct {
		a     Affiliation
		field string
	}{
		{Affiliation{Role: "Adviser\nand more"}, "affiliations.0.role"},
		{Affiliation{Role: "Adviser" + rlo}, "affiliations.0.role"},
		{Affiliation{Role: strings.Repeat("r", 201)}, "affiliations.0.role"},
		{Affiliation{Since: "9999-12-31"}, "affiliations.0.since"},
		{Affiliation{Since: "2027-01-01"}, "affiliations.0.since"},
		{Affiliation{Since: "1850-01-01"}, "affiliations.0.since"},
	}
	for _, c := range bad {
		if _, err := c.a.Clean(p, now); badInput(err) != c.field {
			t.Errorf("Clean(%+v) = %v, want refused at %s", c.a, err, c.field)
		}
	}
}

func goodProfile() ProfileInput {
	return ProfileInput{GivenName: "Anna", FamilyName: "Berg", Title: "Coordinator", Bio: "Line one.\nLine two.",
		Phone: "+46 8 123 456 78", Languages: []string{"sv"}, CountryCode: "SE"}
}

func TestProfileInputClean(t *testing.T) {
	in := goodProfile()
	in.GivenName, in.FamilyName, in.Title = " "+decomposed+" ", "\u200bBerg", " Integration "+decomposed+" "
	got, err := in.Clean("input")
	if err != nil {
		t.Fatal(err)
	}
	if got.GivenName != composed || got.FamilyName != "Berg" || got.Title != "Integration "+composed || got.Bio != in.Bio ||
		got.Phone != in.Phone {
		t.Errorf("Clean = %+v", got)
	}
	bad := []struct {
		name  string
		edit  func(*ProfileInput)
		field string
	}{
		{"RLO in given name", func(p *ProfileInput) { p.GivenName = "Anna" + rlo + "greB" }, "input.givenName"},
		{"zero-width family name", func(p *ProfileInput) { p.FamilyName = zeroWidth }, "input.familyName"},
		{"NUL in given name", func(p *ProfileInput) { p.GivenName = "An\x00na" }, "input.givenName"},
		{"ANSI in family name", func(p *ProfileInput) { p.FamilyName = "\x1b[1mBerg" }, "input.familyName"},
		{"newline in title", func(p *ProfileInput) { p.Title = "Coordinator\nAdmin" }, "input.title"},
		{"isolate in title", func(p *ProfileInput) { p.Title = "\u2066Coordinator\u2069" }, "input.title"},
		{"NUL in bio", func(p *ProfileInput) { p.Bio = "bio\x00" }, "input.bio"},
		{"RLO in bio", func(p *ProfileInput) { p.Bio = "bio" + rlo }, "input.bio"},
		{"free-text phone", func(p *ProfileInput) { p.Phone = "ring me after lunch" }, "input.phone"},
		{"short phone", func(p *ProfileInput) { p.Phone = "112" }, "input.phone"},
	}
	for _, c := range bad {
		in := goodProfile()
		c.edit(&in)
		if _, err := in.Clean("input"); badInput(err) != c.field {
			t.Errorf("%s: Clean = %v, want refused at %s", c.name, err, c.field)
		}
		if err := in.Validate("input"); badInput(err) != c.field {
			t.Errorf("%s: Validate = %v, want refused at %s", c.name, err, c.field)
		}
	}
}

func TestProgrammeItemsClean(t *testing.T) {
	labels := map[string]string{"en": "Housing", "sv": "Boende", "nb": "Bolig", "da": "Bolig", "fi": "Asuminen", "is": "Húsnæði"}
	theme := func() Theme {
		l := map[string]string{}
		for k, v := range labels {
			l[k] = v
		}
		return Theme{ID: "housing", Labels: l, Descriptions: map[string]string{"en": "Finding a home."}}
	}
	th := theme()
	th.Labels["sv"] = " " + decomposed + " " // decomposed, padded
	got, err := th.Clean("input")
	if err != nil || got.Labels["sv"] != composed || th.Labels["sv"] != " "+decomposed+" " {
		t.Errorf("Theme.Clean = %+v, %v (and the caller's map must not change: %q)", got.Labels, err, th.Labels["sv"])
	}
	org := Organisation{Name: "Malmö stad", Kind: OrgMunicipality, CountryCode: "SE", Description: "One.\nTwo."}
	o, err := Organisation{Name: " " + decomposed + " stad ", NameEn: "City of " + decomposed, Kind: OrgMunicipality, CountryCode: "SE"}.Clean("input")
	if err != nil || o.Name != composed+" stad" || o.NameEn != "City of "+composed {
		t.Errorf("Organisation.Clean = %+v, %v", o, err)
	}
	group := ExpertGroup{ID: "g", Name: "Housing network", Kind: GroupNetwork, Description: "One.\nTwo."}
	event := Event{ID: "e", Name: "Nordic conference", StartDate: "2024-05-01", EndDate: "2024-05-02", City: "Malmö"}
	practice := Practice{ID: "p", Title: "A guide", Kind: PracticeGood, Summary: "One.\nTwo."}

	type check struct {
		name  string
		err   error
		field string
	}
	cases := []check{}
	add := func(name, field string, err error) { cases = append(cases, check{name, err, field}) }
	{
		t := theme()
		t.Labels["fi"] = "Asu" + rlo + "minen"
		_, err := t.Clean("input")
		add("theme label with RLO", "input.labels.fi", err)
		t = theme()
		t.Labels["en"] = "Housing\nand more"
		_, err = t.Clean("input")
		add("theme label with newline", "input.labels.en", err)
		t = theme()
		t.Descriptions["en"] = zeroWidth
		_, err = t.Clean("input")
		add("zero-width description", "input.description", err)
		t = theme()
		t.Descriptions["sv"] = "Att hitta\x00 ett hem"
		_, err = t.Clean("input")
		add("NUL in a Swedish description", "input.descriptions.sv", err)
		t = theme()
		t.CrossWalks = []string{"eu:housing", "eu:\x1b[31m"}
		_, err = t.Clean("input")
		add("ESC in a cross-walk", "input.crossWalks.1", err)
	}
	{
		o := org
		o.Name = "Malmö" + rlo
		_, err := o.Clean("input")
		add("organisation name with RLO", "input.name", err)
		o = org
		o.Name = zeroWidth
		_, err = o.Clean("input")
		add("zero-width organisation name", "input.name", err)
		o = org
		o.NameEn = "City of\nMalmö"
		_, err = o.Clean("input")
		add("newline in English name", "input.nameEn", err)
		o = org
		o.Description = "desc\x1b]0;title\x07"
		_, err = o.Clean("input")
		add("OSC escape in description", "input.description", err)
	}
	{
		g := group
		g.Name = "\u2067network"
		_, err := g.Clean("input")
		add("group name with isolate", "input.name", err)
		g = group
		g.Description = "x\x00"
		_, err = g.Clean("input")
		add("group description with NUL", "input.description", err)
	}
	{
		e := event
		e.Name = "Conference\nDay one"
		_, err := e.Clean("input")
		add("event name with newline", "input.name", err)
		e = event
		e.City = "Malmö\u202e"
		_, err = e.Clean("input")
		add("event city with RLO", "input.city", err)
		e = event
		e.StartDate, e.EndDate = "1899-05-01", "1899-05-02"
		_, err = e.Clean("input")
		add("event before 1900", "input.startDate", err)
		e = event
		e.EndDate = "9999-12-31"
		_, err = e.Clean("input")
		add("event ending in 9999", "input.endDate", err)
	}
	{
		p := practice
		p.Title = zeroWidth
		_, err := p.Clean("input")
		add("zero-width practice title", "input.title", err)
		p = practice
		p.Summary = "sum\u202emary"
		_, err = p.Clean("input")
		add("practice summary with RLO", "input.summary", err)
	}
	for _, c := range cases {
		if got := badInput(c.err); got != c.field {
			t.Errorf("%s: %s, want refused at %s", c.name, got, c.field)
		}
	}
	for name, err := range map[string]error{"organisation": org.Validate("input"), "group": group.Validate("input"),
		"event": event.Validate("input"), "practice": practice.Validate("input")} {
		if err != nil {
			t.Errorf("valid %s: %v", name, err)
		}
	}
	if e, err := (Event{ID: "e", Name: " " + decomposed + " ", StartDate: "2024-05-01", EndDate: "2024-05-01", City: " " + decomposed}).Clean(); err != nil ||
		e.Name != composed || e.City != composed {
		t.Errorf("Event.Clean = %+v, %v", e, err)
	}
	if p, err := (Practice{ID: "p", Title: decomposed, Kind: PracticeGood, Summary: "\n" + decomposed + "\n"}).Clean(); err != nil ||
		p.Title != composed || p.Summary != composed {
		t.Errorf("Practice.Clean = %+v, %v", p, err)
	}
	if g, err := (ExpertGroup{ID: "g", Name: decomposed, Kind: GroupNetwork}).Clean(); err != nil || g.Name != composed {
		t.Errorf("ExpertGroup.Clean = %+v, %v", g, err)
	}
}

func TestMessagesAndNotesClean(t *testing.T) {
	req := IntroductionRequest{ToPersonID: "p", ThemeID: "housing", ClientRequestID: "c1", Message: " Hello,\r\n" + decomposed + " here. "}
	got, err := req.Clean("input")
	if err != nil || got.Message != "Hello,\n"+composed+" here." {
		t.Errorf("IntroductionRequest.Clean = %q, %v", got.Message, err)
	}
	for _, m := range []string{"Hi\x00", "Hi\x1b[31m", "Hi" + rlo, zeroWidth, "\u00ad"} {
		r := req
		r.Message = m
		if err := r.Validate("input"); badInput(err) != "input.message" {
			t.Errorf("message %q: %v, want refused at input.message", m, err)
		}
	}
	if n, err := CleanNote(" Thanks!\n"+decomposed+" ", "note"); err != nil || n != "Thanks!\n"+composed {
		t.Errorf("CleanNote = %q, %v", n, err)
	}
	if n, err := CleanNote(zeroWidth, "note"); err != nil || n != "" {
		t.Errorf("CleanNote(zero-width) = %q, %v; want an empty note", n, err)
	}
	if err := ValidateNote("ok"+rlo, "note"); badInput(err) != "note" {
		t.Errorf("note with RLO: %v", err)
	}
	now := day("2026-05-20T10:00:00Z")
	in := RightsRequestInput{PersonID: "p", Kind: RightsAccess, Channel: ChannelEmail, ReceivedAt: day("2026-05-01T08:00:00Z"), Note: " by e-mail\r\n" + decomposed}
	if c, err := in.Clean(now, "input"); err != nil || c.Note != "by e-mail\n"+composed {
		t.Errorf("RightsRequestInput.Clean = %q, %v", c.Note, err)
	}
	in.Note = "\x1b[2J"
	if err := in.Validate(now, "input"); badInput(err) != "input.note" {
		t.Errorf("rights note with ESC: %v", err)
	}
	if r, err := CleanExtension(" backlog "+decomposed, "reason"); err != nil || r != "backlog "+composed {
		t.Errorf("CleanExtension = %q, %v", r, err)
	}
	if err := ValidateExtension(zeroWidth, "reason"); badInput(err) != "reason" {
		t.Errorf("zero-width extension reason: %v", err)
	}
	if n, err := CleanClosing(RightsRejected, " manifestly unfounded "); err != nil || n != "manifestly unfounded" {
		t.Errorf("CleanClosing = %q, %v", n, err)
	}
	if err := ValidateClosing(RightsRejected, zeroWidth); badInput(err) != "note" {
		t.Errorf("zero-width reason for a rejection: %v", err)
	}
}

func TestConsentValidateNewNeedsTheCurrentPolicy(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	if err := (ConsentInput{Purpose: ConsentSuggest, PolicyVersion: CurrentPolicyVersion}).ValidateNew(now, "input"); err != nil {
		t.Fatalf("current version: %v", err)
	}
	for _, v := range []string{"1999-01", "2026-10", "v1", "2026-11 ", ""} {
		if err := (ConsentInput{Purpose: ConsentSuggest, PolicyVersion: v}).ValidateNew(now, "input"); badInput(err) != "input.policyVersion" {
			t.Errorf("policy version %q: %v, want refused at input.policyVersion", v, err)
		}
	}
	if err := (ConsentInput{Purpose: "ADS", PolicyVersion: CurrentPolicyVersion}).ValidateNew(now, "input"); badInput(err) != "input.purpose" {
		t.Errorf("unknown purpose: %v", err)
	}
}
