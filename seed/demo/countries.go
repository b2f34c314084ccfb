package demo

// countrySpec is what the generator knows about a Nordic country or territory: its approximate
// population (public round figures, used only to share demo people out), the language of titles
// and bios, its name pool and its immigrant population.
type countrySpec struct {
	code       string
	name       string // English, for bios
	population uint64
	lang       string // language of local titles, bios and organisation names
	names      *nameSet
	// migrantPerMille is the share of demo people (per mille) with a name and a language from
	// a migrant community; groups weighs those communities in the order of migrantGroups.
	migrantPerMille int
	groups          []int
	// universityCities are municipalities (any of their names) where demo research units sit;
	// elsewhere research units follow the population.
	universityCities []string
}

var countrySpecs = []countrySpec{
	{code: "SE", name: "Sweden", population: 10_500_000, lang: "sv", names: &swedishNames,
		migrantPerMille: 220, groups: []int{30, 10, 15, 8, 8, 10, 8, 11},
		universityCities: []string{"Stockholm", "Uppsala", "Göteborg", "Malmö", "Lund", "Linköping", "Umeå",
			"Örebro", "Växjö", "Karlstad", "Norrköping", "Luleå", "Sundsvall", "Gävle", "Jönköping", "Halmstad"}},
	{code: "DK", name: "Denmark", population: 5_900_000, lang: "da", names: &danishNames,
		migrantPerMille: 150, groups: []int{25, 8, 12, 5, 15, 10, 15, 10},
		universityCities: []string{"København", "Aarhus", "Aalborg", "Odense", "Roskilde", "Esbjerg", "Kolding"}},
	{code: "FI", name: "Finland", population: 5_600_000, lang: "fi", names: &finnishNames,
		migrantPerMille: 100, groups: []int{20, 20, 15, 3, 25, 2, 5, 10},
		universityCities: []string{"Helsinki", "Espoo", "Tampere", "Turku", "Jyväskylä", "Oulu", "Joensuu", "Kuopio",
			"Vaasa", "Rovaniemi", "Lappeenranta"}},
	{code: "NO", name: "Norway", population: 5_500_000, lang: "nb", names: &norwegianNames,
		migrantPerMille: 180, groups: []int{15, 15, 10, 10, 12, 3, 25, 5},
		universityCities: []string{"Oslo", "Bergen", "Trondheim", "Tromsø", "Stavanger", "Kristiansand", "Bodø",
			"Lillehammer", "Drammen"}},
	{code: "IS", name: "Iceland", population: 390_000, lang: "is", names: &icelandicNames,
		migrantPerMille: 180, groups: []int{8, 1, 3, 1, 15, 2, 65, 2},
		universityCities: []string{"Reykjavíkurborg", "Reykjavík", "Akureyrarbær", "Akureyri"}},
	{code: "FO", name: "the Faroe Islands", population: 55_000, lang: "da", names: &faroeseNames,
		migrantPerMille: 50, groups: []int{5, 2, 3, 2, 10, 2, 20, 1},
		universityCities: []string{"Tórshavnar kommuna", "Tórshavn"}},
	{code: "GL", name: "Greenland", population: 57_000, lang: "da", names: &greenlandicNames,
		migrantPerMille: 30, groups: []int{2, 1, 1, 1, 5, 1, 5, 1},
		universityCities: []string{"Sermersooq", "Kommuneqarfik Sermersooq"}},
	{code: "AX", name: "Åland", population: 30_000, lang: "sv", names: &finlandSwedishNames,
		migrantPerMille: 80, groups: []int{5, 2, 3, 1, 10, 3, 10, 1},
		universityCities: []string{"Mariehamn", "Maarianhamina"}},
}

// languages returns a demo person's working languages: the country's, then a migrant
// community's, English for most, and now and then another Nordic or European language.
func languages(r *rng, code string, finlandSwede bool, group int) []string {
	langs := make([]string, 0, 5)
	switch code {
	case "SE":
		langs = append(langs, "sv")
	case "AX":
		langs = append(langs, "sv")
		if r.permille(250) {
			langs = append(langs, "fi")
		}
	case "NO":
		if r.permille(120) {
			langs = append(langs, "nn", "nb")
		} else {
			langs = append(langs, "nb")
		}
	case "DK":
		langs = append(langs, "da")
	case "FO":
		langs = append(langs, "fo", "da")
	case "GL":
		if r.permille(550) {
			langs = append(langs, "kl")
		}
		langs = append(langs, "da")
	case "FI":
		if finlandSwede {
			langs = append(langs, "sv", "fi")
		} else {
			langs = append(langs, "fi")
			if r.permille(200) {
				langs = append(langs, "sv")
			}
		}
	case "IS":
		langs = append(langs, "is")
	}
	if group >= 0 && r.permille(900) {
		langs = append(langs, migrantGroups[group].lang)
	}
	if r.permille(880) {
		langs = append(langs, "en")
	}
	if r.permille(80) {
		langs = appendNew(langs, pick(r, []string{"sv", "nb", "da"}))
	}
	if r.permille(50) {
		langs = appendNew(langs, pick(r, []string{"de", "fr", "es", "ru", "it", "et"}))
	}
	return langs
}

// appendNew appends s unless it is already there.
func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
