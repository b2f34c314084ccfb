package notify

import (
	"fmt"
	"time"
)

// dateForms are how each language writes a date in running text (CLDR's long date: "7 December
// 2026", "7. joulukuuta 2026"): a pattern of day, month name and year, and the month names in the
// form the pattern needs (Finnish: the partitive). They are the forms of the web app's messages
// (internal/web/messages: date.format and month.N); notify keeps its own copy because it is no
// adapter of the web app, and a test holds the two to the same dates.
var dateForms = map[string]struct {
	pattern string
	months  [12]string
}{
	"en": {"%d %s %d", [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}},
	"sv": {"%d %s %d", [12]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
		"september", "oktober", "november", "december"}},
	"nb": {"%d. %s %d", [12]string{"januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
		"september", "oktober", "november", "desember"}},
	"da": {"%d. %s %d", [12]string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
		"september", "oktober", "november", "december"}},
	"fi": {"%d. %s %d", [12]string{"tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta",
		"kesäkuuta", "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"}},
	"is": {"%d. %s %d", [12]string{"janúar", "febrúar", "mars", "apríl", "maí", "júní", "júlí", "ágúst",
		"september", "október", "nóvember", "desember"}},
}

// formatDate writes t's date (in UTC, the date the workflow decides by) as lang writes dates,
// English for a language without forms.
func formatDate(lang string, t time.Time) string {
	f, ok := dateForms[lang]
	if !ok {
		f = dateForms["en"]
	}
	t = t.UTC()
	return fmt.Sprintf(f.pattern, t.Day(), f.months[t.Month()-1], t.Year())
}
