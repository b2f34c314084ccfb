package notify

import (
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/mail"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// sharedTemplates are the templates besides the subject and body of each kind that every
// language file defines.
var sharedTemplates = []string{"greeting", "footer", "contact", "the other person"}

// templateNames lists the templates a language file defines, sorted.
func templateNames(lang string) []string {
	var out []string
	for _, t := range catalogs[lang].Templates() {
		if t.Name() != lang && t.Name() != lang+".tmpl" { // the set's and the file's own (empty) top level
			out = append(out, t.Name())
		}
	}
	slices.Sort(out)
	return out
}

// TestMessagesAreCompleteInEveryLanguage: every language Bridge writes in has a subject and a
// body for every kind, the shared templates, and no template the others lack; every message
// renders in it, translated (not the English text), without a missing value.
func TestMessagesAreCompleteInEveryLanguage(t *testing.T) {
	if got := slices.Sorted(maps.Keys(catalogs)); !slices.Equal(got, slices.Sorted(slices.Values(bridge.MessageLanguages))) {
		t.Fatalf("message files for %v, want one for each of %v", got, bridge.MessageLanguages)
	}
	want := slices.Clone(sharedTemplates)
	for _, kind := range bridge.NotificationKinds {
		want = append(want, subjectOf(kind), kind)
	}
	slices.Sort(want)
	english := map[string][2]string{}
	for _, lang := range bridge.MessageLanguages {
		if got := templateNames(lang); !slices.Equal(got, want) {
			t.Errorf("messages/%s.tmpl defines %q,\nwant exactly %q", lang, got, want)
		}
		for _, kind := range bridge.NotificationKinds {
			subject, body := renderTo(t, lang, kind, true)
			if strings.TrimSpace(subject) == "" || strings.TrimSpace(body) == "" || strings.Contains(body, "<no value>") {
				t.Errorf("%s %s: subject %q, body:\n%s", lang, kind, subject, body)
			}
			if bridge.NotificationIntroductionRequestReceived == kind || bridge.NotificationPersonErased == kind {
				continue // to the secretariat: English (below)
			}
			if lang == "en" {
				english[kind] = [2]string{subject, body}
			} else if english[kind][0] == subject || english[kind][1] == body {
				t.Errorf("%s %s: the subject or body is the English one", lang, kind)
			}
		}
	}
}

// renderTo renders a kind for a recipient who chose lang (with a public URL when link) and
// returns the decoded subject and the body.
func renderTo(t *testing.T, lang, kind string, link bool) (subject, body string) {
	t.Helper()
	it := renderItem(kind)
	it.Language = lang
	r := NewTextRenderer()
	if link {
		r = NewTextRenderer("https://bridge.example.org")
	}
	h := renderHeader(mail.Address{Name: "Åsa Öberg", Address: "asa@example.org"})
	if it.ToSecretariat() {
		h.To = mail.Address{Name: "Secretariat", Address: "secretariat@example.org"}
	}
	raw, err := r.Render(it, h)
	if err != nil {
		t.Fatalf("%s %s: %v", lang, kind, err)
	}
	p := parseRendered(t, raw)
	subject, err = new(mime.WordDecoder).DecodeHeader(p.msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("%s %s: subject %q: %v", lang, kind, p.msg.Header.Get("Subject"), err)
	}
	return subject, strings.ReplaceAll(p.body, "\r\n", "\n")
}

// TestRenderInTheRecipientsLanguage: each kind to a person, in Swedish and Finnish (and the
// dated ones in every language): the subject, the greeting, the link to where they act and the
// date as the language writes it.
func TestRenderInTheRecipientsLanguage(t *testing.T) {
	tests := []struct {
		lang, kind, subject string
		want                []string
	}{
		{"sv", bridge.NotificationIntroductionAsked, "Bridge: du har blivit tillfrågad om en introduktion",
			[]string{"Hej Åsa,", "(tema: Language learning at work)", "tacka ja eller nej:\nhttps://bridge.example.org/introductions"}},
		{"fi", bridge.NotificationIntroductionAsked, "Bridge: sinulle on tullut esittelypyyntö",
			[]string{"Hei Åsa,", "(teema: Language learning at work)", "kieltäydy siitä:\nhttps://bridge.example.org/introductions"}},
		{"sv", bridge.NotificationIntroductionIntroduced, "Bridge: ni har introducerats för varandra",
			[]string{"Hej Åsa,", "Du och Jóhanna Guðmundsdóttir är nu introducerade", "E-post: johanna@example.is", "Telefon: +354 555 0100",
				"Titel: Integration officer", "Dina introduktioner: https://bridge.example.org/introductions"}},
		{"fi", bridge.NotificationIntroductionIntroduced, "Bridge: teidät on esitelty toisillenne",
			[]string{"Hei Åsa,", "sinä ja Jóhanna Guðmundsdóttir hyväksyitte", "Sähköposti: johanna@example.is", "Puhelin: +354 555 0100",
				"Omat esittelysi: https://bridge.example.org/introductions"}},
		{"sv", bridge.NotificationContactChanged, "Bridge: nya kontaktuppgifter till någon du har introducerats för",
			[]string{"Hej Åsa,", "Jóhanna Guðmundsdóttir, som du har introducerats för", "E-post: johanna@example.is",
				"Dina introduktioner: https://bridge.example.org/introductions"}},
		{"fi", bridge.NotificationContactChanged, "Bridge: päivitetyt yhteystiedot henkilöltä, jolle sinut on esitelty",
			[]string{"Hei Åsa,", "Jóhanna Guðmundsdóttir, jolle sinut on esitelty", "Sähköposti: johanna@example.is",
				"Omat esittelysi: https://bridge.example.org/introductions"}},
		{"sv", bridge.NotificationIntroductionNotPossible, "Bridge: en introduktion är inte möjlig just nu",
			[]string{"Hej Åsa,", "Introduktionen (tema: Language learning at work) är inte möjlig just nu.", "https://bridge.example.org/peers"}},
		{"fi", bridge.NotificationIntroductionNotPossible, "Bridge: esittely ei ole mahdollinen tällä hetkellä",
			[]string{"Hei Åsa,", "Esittely (teema: Language learning at work) ei ole mahdollinen tällä hetkellä.", "https://bridge.example.org/peers"}},
		{"sv", bridge.NotificationPartyErased, "Bridge: radera kontaktuppgifter som du har fått",
			[]string{"Hej Åsa,", "(tema: Language learning at work)", "Radera de kontaktuppgifter"}},
		{"fi", bridge.NotificationPartyErased, "Bridge: poista saamasi yhteystiedot",
			[]string{"Hei Åsa,", "(teema: Language learning at work)", "Poista tämän henkilön yhteystiedot"}},
		{"en", bridge.NotificationReminder, "Bridge: an introduction waits for your answer", []string{"Hello Åsa,", "It closes on 7 December 2026"}},
		{"sv", bridge.NotificationReminder, "Bridge: en introduktion väntar på ditt svar", []string{"Hej Åsa,", "Den stängs den 7 december 2026"}},
		{"nb", bridge.NotificationReminder, "Bridge: en introduksjon venter på svaret ditt", []string{"Hei Åsa,", "Den avsluttes 7. desember 2026"}},
		{"da", bridge.NotificationReminder, "Bridge: en introduktion venter på dit svar", []string{"Hej Åsa,", "Den lukker den 7. december 2026"}},
		{"fi", bridge.NotificationReminder, "Bridge: esittelypyyntö odottaa vastaustasi", []string{"Hei Åsa,", "Pyyntö sulkeutuu 7. joulukuuta 2026"}},
		{"is", bridge.NotificationReminder, "Bridge: kynning bíður svars frá þér", []string{"Halló Åsa,", "Henni verður lokað 7. desember 2026"}},
		{"en", bridge.NotificationReconfirmProfile, "Bridge: please confirm your profile", []string{"by 12 March 2027 (https://bridge.example.org/me)"}},
		{"sv", bridge.NotificationReconfirmProfile, "Bridge: bekräfta din profil", []string{"Hej Åsa,", "senast den 12 mars 2027 (https://bridge.example.org/me)"}},
		{"nb", bridge.NotificationReconfirmProfile, "Bridge: bekreft profilen din", []string{"Hei Åsa,", "innen 12. mars 2027 (https://bridge.example.org/me)"}},
		{"da", bridge.NotificationReconfirmProfile, "Bridge: bekræft venligst din profil", []string{"Hej Åsa,", "senest den 12. marts 2027 (https://bridge.example.org/me)"}},
		{"fi", bridge.NotificationReconfirmProfile, "Bridge: vahvista profiilisi", []string{"Hei Åsa,", "viimeistään 12. maaliskuuta 2027 (https://bridge.example.org/me)"}},
		{"is", bridge.NotificationReconfirmProfile, "Bridge: vinsamlegast staðfestu prófílinn þinn", []string{"Halló Åsa,", "í síðasta lagi 12. mars 2027 (https://bridge.example.org/me)"}},
	}
	for _, tt := range tests {
		subject, body := renderTo(t, tt.lang, tt.kind, true)
		if subject != tt.subject {
			t.Errorf("%s %s: subject %q, want %q", tt.lang, tt.kind, subject, tt.subject)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s %s: body lacks %q:\n%s", tt.lang, tt.kind, w, body)
			}
		}
	}
	// No language chosen, or one Bridge does not write in: English.
	for _, lang := range []string{"", "de"} {
		if subject, _ := renderTo(t, lang, bridge.NotificationIntroductionAsked, false); subject != "Bridge: you have been asked for an introduction" {
			t.Errorf("language %q: subject %q, want the English one", lang, subject)
		}
	}
}

// TestSecretariatMessagesStayEnglish: no language is configured for the secretariat's address.
func TestSecretariatMessagesStayEnglish(t *testing.T) {
	for _, kind := range []string{bridge.NotificationIntroductionRequestReceived, bridge.NotificationPersonErased} {
		en, enBody := renderTo(t, "en", kind, false)
		for _, lang := range bridge.MessageLanguages {
			if subject, body := renderTo(t, lang, kind, false); subject != en || body != enBody {
				t.Errorf("%s to the secretariat with language %s: %q\n%s", kind, lang, subject, body)
			}
		}
	}
}

// TestNoLanguageSaysWhoDeclined: in no language does the message about an introduction that
// will not happen speak of declining or name the other person.
func TestNoLanguageSaysWhoDeclined(t *testing.T) {
	never := []string{"declin", "reject", "refus", // en
		"nej", "avböj", "avslag", "tackat", // sv, da
		"nei", "avslå", "takket", // nb
		"afvis", "afslå", // da
		"kieltä", "hylä", // fi
		"hafn", "neita", // is
		"Jóhanna", "johanna@"}
	for _, lang := range bridge.MessageLanguages {
		subject, body := renderTo(t, lang, bridge.NotificationIntroductionNotPossible, true)
		for _, n := range never {
			if strings.Contains(strings.ToLower(subject+"\n"+body), strings.ToLower(n)) {
				t.Errorf("%s: the not-possible message says %q:\n%s\n%s", lang, n, subject, body)
			}
		}
	}
}

// TestDatesAsTheWebAppWritesThem: the e-mails write dates as the web app does in the same
// language (its catalogs' date.format and month names), every month.
func TestDatesAsTheWebAppWritesThem(t *testing.T) {
	for _, lang := range bridge.MessageLanguages {
		raw, err := os.ReadFile("../web/messages/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var web map[string]string
		if err := json.Unmarshal(raw, &web); err != nil {
			t.Fatal(err)
		}
		for m := 1; m <= 12; m++ {
			d := time.Date(2027, time.Month(m), 9, 23, 30, 0, 0, time.UTC)
			want := fmt.Sprintf(web["date.format"], 9, web[fmt.Sprintf("month.%d", m)], 2027)
			if got := formatDate(lang, d); got != want {
				t.Errorf("%s: %s, want %q (the web app's)", lang, got, want)
			}
		}
	}
	// The date is the UTC one, whatever the time's location.
	late := time.Date(2026, 12, 7, 23, 30, 0, 0, time.FixedZone("UTC-5", -5*3600))
	if got := formatDate("sv", late); got != "8 december 2026" {
		t.Errorf("a date late in UTC-5: %q, want the UTC date 8 december 2026", got)
	}
}
