package demo

import (
	"math/bits"
	"strconv"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Bounds on the number of demo organisations: at least a handful for a tiny demo, one per eight
// people in between, and no more than a real Nordic integration field could plausibly hold.
const (
	minOrgs      = 20
	peoplePerOrg = 8
	maxOrgs      = 50_000
	// municipalShare is the share (per mille) of demo organisations that are municipal units.
	municipalShare = 400
)

// otherKindWeights share out the organisations that are not municipal units, in kind order.
var otherKindWeights = [numKinds]int{kindNGO: 60, kindMigrant: 25, kindResearch: 15}

// orgLayout says where every demo organisation sits and what it is, so that a person can be
// placed at one without generating all of them. Municipal units come first: unit u of the
// municipality at position p of a population-weighted random order has index u·len(order)+p.
type orgLayout struct {
	n         int
	municipal int // number of municipal units, which are the first ones
	order     []int32
	muni      []int32 // organisation → municipality index
	kind      []uint8
	// muniUnits gives, per municipality, the organisation index of each unit, or -1.
	muniUnits [][numUnits]int32
	// byMuniKind and byCountryKind list organisation indexes by municipality·numKinds+kind and
	// country·numKinds+kind; byKind by kind alone.
	byMuniKind    [][]int32
	byCountryKind [][]int32
	byKind        [numKinds][]int32
}

// orgCount is the number of demo organisations for a number of people.
func orgCount(people int) int {
	return min(max(minOrgs, people/peoplePerOrg), maxOrgs)
}

// layOutOrgs places every demo organisation. It is the only generation step that looks at more
// than one value at a time: a municipality gets at most one unit of each sort.
func (g *Generator) layOutOrgs() {
	n := orgCount(g.people)
	nm := len(g.ref.Municipalities)
	l := &g.orgs
	l.n = n
	l.municipal = min(n*municipalShare/1000, nm*numUnits)
	l.order = g.municipalityOrder(min(nm, l.municipal))
	l.muni = make([]int32, n)
	l.kind = make([]uint8, n)
	l.muniUnits = make([][numUnits]int32, nm)
	for m := range l.muniUnits {
		l.muniUnits[m] = [numUnits]int32{-1, -1, -1}
	}
	l.byMuniKind = make([][]int32, nm*numKinds)
	l.byCountryKind = make([][]int32, len(g.countries)*numKinds)
	var r rng
	for j := range n {
		var kind, muni int
		if j < l.municipal {
			kind, muni = kindMunicipal, int(l.order[j%len(l.order)])
			l.muniUnits[muni][j/len(l.order)] = int32(j)
		} else {
			r.reset(g.streams[streamOrg], j)
			kind, muni = g.placeOrg(&r)
		}
		l.muni[j], l.kind[j] = int32(muni), uint8(kind)
		c := g.countryOfMuni[muni]
		l.byMuniKind[muni*numKinds+kind] = append(l.byMuniKind[muni*numKinds+kind], int32(j))
		l.byCountryKind[c*numKinds+kind] = append(l.byCountryKind[c*numKinds+kind], int32(j))
		l.byKind[kind] = append(l.byKind[kind], int32(j))
	}
}

// placeOrg draws the kind and municipality of an organisation that is not a municipal unit.
// These are the first draws of the organisation's stream; org draws them again.
func (g *Generator) placeOrg(r *rng) (kind, muni int) {
	kind = r.weighted(otherKindWeights[:])
	c := &g.countries[r.cumulative(g.countryCum)]
	if kind == kindResearch && len(c.univ) > 0 {
		return kind, pick(r, c.univ)
	}
	return kind, c.munis[r.cumulative(c.cum)]
}

// municipalityOrder draws k municipalities without replacement, each with the probability of a
// demo person living there, so that a small demo has municipal units where its people are.
func (g *Generator) municipalityOrder(k int) []int32 {
	w := make([]uint64, len(g.ref.Municipalities))
	var total uint64
	for ci := range g.countries {
		c := &g.countries[ci]
		ctotal := c.cum[len(c.cum)-1]
		prev := uint64(0)
		for i, m := range c.munis {
			mw := c.cum[i] - prev
			prev = c.cum[i]
			w[m] = max(1, c.spec.population*mw/ctotal)
			total += w[m]
		}
	}
	var r rng
	r.reset(g.streams[streamSetup], 1)
	order := make([]int32, 0, k)
	for len(order) < k && total > 0 {
		x, _ := bits.Mul64(r.src.Uint64(), total)
		for m, wm := range w {
			if x < wm {
				order = append(order, int32(m))
				total -= wm
				w[m] = 0
				break
			}
			x -= wm
		}
	}
	return order
}

// Organisations returns every demo organisation, in index order. It is deterministic for the
// generator's reference, number of people and seed; names that would repeat get a number.
func (g *Generator) Organisations() []bridge.Organisation {
	out := make([]bridge.Organisation, g.orgs.n)
	seen := make(map[string]int, g.orgs.n)
	for j := range out {
		o := g.org(j)
		if o.Kind != bridge.OrgMunicipality {
			base, baseEn := o.Name, o.NameEn
			seen[base]++
			if k := seen[base]; k > 1 {
				o.Name = strings.TrimSuffix(base, demoSuffix) + " " + strconv.Itoa(k) + demoSuffix
				o.NameEn = strings.TrimSuffix(baseEn, demoSuffix) + " " + strconv.Itoa(k) + demoSuffix
			}
		}
		out[j] = o
	}
	return out
}

// demoSuffix marks every demo organisation's name, so that nobody mistakes one for a real body.
const demoSuffix = " (demo)"

// org builds organisation j from its layout and its own random stream.
func (g *Generator) org(j int) bridge.Organisation {
	l := &g.orgs
	var r rng
	r.reset(g.streams[streamOrg], j)
	if j >= l.municipal {
		g.placeOrg(&r) // replay the placement draws; the layout holds their result
	}
	m := &g.ref.Municipalities[l.muni[j]]
	spec := g.countries[g.countryOfMuni[l.muni[j]]].spec
	city := placeName(m)
	o := bridge.Organisation{
		ID:             g.orgID(j),
		Kind:           orgKinds[l.kind[j]],
		CountryCode:    m.CountryCode,
		MunicipalityID: m.ID,
		Source:         "demo",
		Active:         true,
		Demo:           true,
	}
	switch l.kind[j] {
	case kindMunicipal:
		unit := j / len(l.order)
		o.Name = municipalUnitName(spec, city, unit) + demoSuffix
		o.NameEn = municipalityNameEn(m, city) + " – " + unitNamesEn[unit] + demoSuffix
		o.Description = "Demo organisation: the " + unitNamesEn[unit] + " of the municipality of " + city +
			", which works with the reception and integration of newly arrived refugees and immigrants."
	case kindNGO:
		t := pick(&r, ngoNames[ngoLang(spec.lang)])
		o.Name = strings.ReplaceAll(t[0], "{city}", city) + demoSuffix
		o.NameEn = strings.ReplaceAll(t[1], "{city}", city) + demoSuffix
		o.Description = "Demo organisation: a local civil-society association in " + city +
			" that connects newcomers with volunteers, language practice and local networks."
	case kindMigrant:
		o.Name = pick(&r, migrantOrgNames) + " " + city + demoSuffix
		o.NameEn = o.Name
		o.Description = "Demo organisation: a migrant-led association in " + city +
			" that offers peer support, information and cultural activities."
	case kindResearch:
		o.Name = pick(&r, researchUnits) + " " + pick(&r, researchTopics) + ", " + city + demoSuffix
		o.NameEn = o.Name
		o.Description = "Demo organisation: a fictional research unit in " + city +
			" that studies migration, integration and diversity in the Nordic countries."
	}
	host := slug(strings.TrimSuffix(o.NameEn, demoSuffix))
	if len(host) > 40 {
		host = strings.TrimRight(host[:40], "-")
	}
	host += "-" + strconv.Itoa(j) + ".example.org"
	o.EmailDomain = host
	if r.permille(700) {
		o.Website = "https://" + host
	}
	return o
}

// orgID is the UUID of organisation j, from a stream of its own so that people can refer to an
// organisation without building it.
func (g *Generator) orgID(j int) string {
	var r rng
	r.reset(g.streams[streamOrgID], j)
	return r.uuid()
}

// placeName is the municipality's name as used in running text: the first of its names, without
// the parallel Sámi or Kven name some sources append after " - ".
func placeName(m *bridge.Municipality) string {
	name := m.Name
	if name == "" && len(m.Names) > 0 {
		name = m.Names[0]
	}
	if i := strings.Index(name, " - "); i > 0 {
		name = name[:i]
	}
	if name == "" {
		name = m.ID
	}
	return name
}

// The units of a municipal administration, by language, in the order unitIntegration,
// unitLabour, unitEducation. Faroe and Greenland units are named in English: the demo data
// guesses no Faroese or Greenlandic.
var unitNames = map[string][numUnits]string{
	"sv": {"integrationsenheten", "arbetsmarknadsenheten", "utbildningsförvaltningen"},
	"nb": {"flyktningtjenesten", "arbeid og inkludering", "oppvekst og utdanning"},
	"da": {"integrationsafdelingen", "jobcentret", "børn og unge"},
	"fi": {"maahanmuuttopalvelut", "työllisyyspalvelut", "kasvatus ja koulutus"},
	"is": {"fjölmenningarteymi", "atvinnumál", "skóla- og frístundasvið"},
}

var unitNamesEn = [numUnits]string{"integration unit", "labour-market unit", "education department"}

// municipalUnitName names a unit of a municipal administration the way the country writes it.
func municipalUnitName(spec *countrySpec, city string, unit int) string {
	units, local := unitNames[spec.lang]
	switch spec.code {
	case "SE", "AX":
		switch city {
		case "Stockholm", "Göteborg":
			return city + "s stad – " + units[unit]
		case "Malmö":
			return "Malmö stad – " + units[unit]
		case "Mariehamn":
			return "Mariehamns stad – " + units[unit]
		}
		return city + " kommun – " + units[unit]
	case "NO":
		return city + " kommune – " + units[unit]
	case "DK":
		if city == "København" {
			return "Københavns Kommune – " + units[unit]
		}
		return city + " Kommune – " + units[unit]
	case "FI", "IS":
		// The Finnish genitive and the Icelandic names (Reykjavíkurborg) need no suffix.
		return city + " – " + units[unit]
	case "GL":
		return city + " Kommunia – " + unitNamesEn[unit]
	case "FO":
		return city + " – " + unitNamesEn[unit] // the name already ends in "kommuna"
	}
	if !local {
		return city + " – " + unitNamesEn[unit]
	}
	return city + " – " + units[unit]
}

// municipalityNameEn is the English name of a municipality's administration.
func municipalityNameEn(m *bridge.Municipality, city string) string {
	switch m.CountryCode {
	case "IS", "FO":
		return city // the official name already says what it is (Reykjavíkurborg, Klaksvíkar kommuna)
	}
	return "Municipality of " + city
}

// ngoLang is the language of demo NGO names for a country language; the Faroese and Greenlandic
// ones use Danish.
func ngoLang(lang string) string {
	if _, ok := ngoNames[lang]; ok {
		return lang
	}
	return "da"
}

// ngoNames are pairs of local and English name templates for demo civil-society associations.
var ngoNames = map[string][][2]string{
	"sv": {
		{"Föreningen Nya grannar {city}", "New Neighbours Association {city}"},
		{"Språkvän {city}", "Language Friends {city}"},
		{"Mötesplats {city}", "Meeting Place {city}"},
		{"Mentorsnätverket {city}", "Mentor Network {city}"},
		{"Läxhjälpen {city}", "Homework Help {city}"},
		{"Kvinnor i rörelse {city}", "Women on the Move {city}"},
		{"Välkommen hit {city}", "Welcome Here {city}"},
		{"Brobyggarna {city}", "The Bridge Builders {city}"},
		{"Idrott för alla {city}", "Sport for All {city}"},
		{"Vägen in {city}", "The Way In {city}"},
	},
	"nb": {
		{"Nye naboer {city}", "New Neighbours {city}"},
		{"Språkvenn {city}", "Language Friends {city}"},
		{"Møteplass {city}", "Meeting Place {city}"},
		{"Mentornettverket {city}", "Mentor Network {city}"},
		{"Leksehjelpen {city}", "Homework Help {city}"},
		{"Kvinner i bevegelse {city}", "Women on the Move {city}"},
		{"Velkommen hit {city}", "Welcome Here {city}"},
		{"Brobyggerne {city}", "The Bridge Builders {city}"},
		{"Idrett for alle {city}", "Sport for All {city}"},
		{"Veien inn {city}", "The Way In {city}"},
	},
	"da": {
		{"Nye naboer {city}", "New Neighbours {city}"},
		{"Sprogvenner {city}", "Language Friends {city}"},
		{"Mødestedet {city}", "Meeting Place {city}"},
		{"Mentornetværket {city}", "Mentor Network {city}"},
		{"Lektiehjælpen {city}", "Homework Help {city}"},
		{"Kvinder i bevægelse {city}", "Women on the Move {city}"},
		{"Velkommen her {city}", "Welcome Here {city}"},
		{"Brobyggerne {city}", "The Bridge Builders {city}"},
		{"Idræt for alle {city}", "Sport for All {city}"},
		{"Vejen ind {city}", "The Way In {city}"},
	},
	"fi": {
		{"Uudet naapurit ry – {city}", "New Neighbours Association – {city}"},
		{"Kielikaverit – {city}", "Language Friends – {city}"},
		{"Kohtaamispaikka – {city}", "Meeting Place – {city}"},
		{"Mentoriverkosto – {city}", "Mentor Network – {city}"},
		{"Läksykerho – {city}", "Homework Club – {city}"},
		{"Naiset liikkeellä – {city}", "Women on the Move – {city}"},
		{"Tervetuloa – {city}", "Welcome – {city}"},
		{"Sillanrakentajat – {city}", "The Bridge Builders – {city}"},
		{"Liikuntaa kaikille – {city}", "Sport for All – {city}"},
	},
	"is": {
		{"Nýir nágrannar – {city}", "New Neighbours – {city}"},
		{"Tungumálavinir – {city}", "Language Friends – {city}"},
		{"Heimanámsaðstoð – {city}", "Homework Help – {city}"},
		{"Brúarsmiðir – {city}", "The Bridge Builders – {city}"},
		{"Íþróttir fyrir alla – {city}", "Sport for All – {city}"},
	},
}

// migrantOrgNames are demo migrant-led associations, completed with the municipality's name.
var migrantOrgNames = []string{
	"Somali Women's Association", "Syrian Cultural Association", "Eritrean Community Association",
	"Afghan Youth Network", "Ukrainian House", "Kurdish Cultural Centre", "Bosnian-Herzegovinian Association",
	"Iraqi Parents' Network", "Polish Community Centre", "African Diaspora Forum", "Arabic Parents' Association",
	"Persian Cultural Society", "Tigrinya Language School", "Migrant Women's Network", "Newcomers' Youth Forum",
}

// researchUnits and researchTopics combine into names of fictional research units.
var (
	researchUnits  = []string{"Centre for", "Institute for", "Research Group on", "Unit for", "Network for", "Laboratory for"}
	researchTopics = []string{"Migration Studies", "Integration Research", "Diversity and Inclusion", "Welfare and Migration",
		"Language and Integration", "Labour-Market Inclusion", "Refugee Studies", "Urban Segregation",
		"Education and Migration", "Health and Migration"}
)
