package demo

import "github.com/nordic-integration/bridge/internal/bridge"

// The kinds of demo organisation, as indexes into per-kind tables. Ministries and agencies are
// real and seeded elsewhere, so the demo data makes none.
const (
	kindMunicipal = iota
	kindNGO
	kindMigrant
	kindResearch
	numKinds
	kindNone = -1
)

// orgKinds maps the internal kinds to the domain's.
var orgKinds = [numKinds]bridge.OrganisationKind{bridge.OrgMunicipality, bridge.OrgCivilSociety, bridge.OrgMigrantLed, bridge.OrgResearch}

// The units of a municipal administration that demo people work in; a big demo population gets
// all three in every municipality, a small one only the integration unit of some.
const (
	unitIntegration = iota
	unitLabour
	unitEducation
	numUnits
)

// role is what a demo person does. It decides the title, the bio, where the person works and,
// through keywords matched against theme IDs and English labels, which themes are likelier.
type role struct {
	weight int // relative share of demo people
	kind   int // kind of organisation the person works at; kindNone for ministry and agency staff
	unit   int // preferred municipal unit, for kindMunicipal
	en     []string
	local  map[string][]string // title language → titles
	// heritage is the title (by language, "en" always) some people with a migrant background
	// have instead, such as mother-tongue teacher; nil for most roles.
	heritage map[string]string
	keywords []string
	bios     []string // English first sentences with {city}, {country} and {offer}
}

var roles = []role{
	{ // municipal integration coordinator
		weight: 18, kind: kindMunicipal, unit: unitIntegration,
		en: []string{"Integration coordinator", "Senior integration coordinator", "Head of integration services", "Settlement coordinator"},
		local: map[string][]string{
			"sv": {"Integrationssamordnare", "Integrationsstrateg", "Enhetschef för integration"},
			"nb": {"Flyktningkonsulent", "Programrådgiver, introduksjonsprogrammet", "Leder for flyktningtjenesten"},
			"da": {"Integrationskonsulent", "Integrationskoordinator", "Afdelingsleder for integration"},
			"fi": {"Kotoutumiskoordinaattori", "Maahanmuuttokoordinaattori", "Maahanmuuttopalvelujen päällikkö"},
			"is": {"Verkefnastjóri fjölmenningarmála", "Deildarstjóri fjölmenningarmála"},
		},
		keywords: []string{"housing", "segregat", "rural", "shrinking", "settle", "reception", "introduct", "establish", "plan"},
		bios: []string{
			"Coordinates the reception and introduction of newly arrived refugees in {city}, with a focus on {offer}.",
			"Leads the municipal integration work in {city} and has built up experience with {offer}.",
		},
	},
	{ // job-centre officer
		weight: 12, kind: kindMunicipal, unit: unitLabour,
		en: []string{"Job-centre officer", "Employment adviser", "Labour-market consultant", "Job coach"},
		local: map[string][]string{
			"sv": {"Arbetsmarknadskonsulent", "Jobbcoach", "Arbetsmarknadssekreterare"},
			"nb": {"Veileder", "Arbeidsmarkedsrådgiver", "Jobbspesialist"},
			"da": {"Jobkonsulent", "Virksomhedskonsulent", "Beskæftigelseskonsulent"},
			"fi": {"Työvalmentaja", "Työllisyyskoordinaattori", "Työvoimaneuvoja"},
			"is": {"Ráðgjafi í atvinnumálum"},
		},
		keywords: []string{"labour", "employ", "job", "work", "competence", "skill", "matchmaking", "establish"},
		bios: []string{
			"Helps newly arrived job-seekers in {city} into work and training, above all through {offer}.",
			"Works with employers and newcomers in {city} on {offer}.",
		},
	},
	{ // teacher of newly arrived children
		weight: 12, kind: kindMunicipal, unit: unitEducation,
		en: []string{"Teacher of newly arrived pupils", "Teacher, introductory class", "Second-language teacher"},
		local: map[string][]string{
			"sv": {"Lärare i förberedelseklass", "Lärare i svenska som andraspråk"},
			"nb": {"Lærer, innføringsklasse", "Lærer i norsk som andrespråk"},
			"da": {"Lærer, modtagelsesklasse", "Lærer i dansk som andetsprog"},
			"fi": {"Valmistavan opetuksen opettaja", "S2-opettaja"},
			"is": {"Kennari í íslensku sem öðru máli", "Móttökukennari"},
		},
		heritage: map[string]string{"en": "Mother-tongue teacher", "sv": "Modersmålslärare", "nb": "Morsmålslærer",
			"da": "Modersmålslærer", "fi": "Oman äidinkielen opettaja"},
		keywords: []string{"school", "child", "education", "pupil", "language", "famil", "youth", "young"},
		bios: []string{
			"Teaches newly arrived pupils in {city} and works with {offer}.",
			"Has taught introductory classes in {city} for several years, with experience of {offer}.",
		},
	},
	{ // ECEC pedagogue
		weight: 8, kind: kindMunicipal, unit: unitEducation,
		en: []string{"Early-childhood pedagogue", "Preschool teacher", "ECEC coordinator"},
		local: map[string][]string{
			"sv": {"Förskollärare", "Barnskötare", "Språkutvecklare i förskolan"},
			"nb": {"Barnehagelærer", "Pedagogisk leder i barnehage"},
			"da": {"Pædagog", "Dagtilbudskonsulent"},
			"fi": {"Varhaiskasvatuksen opettaja", "Lastentarhanopettaja"},
			"is": {"Leikskólakennari"},
		},
		keywords: []string{"ecec", "early", "child", "famil", "preschool", "kindergarten", "school", "parent"},
		bios: []string{
			"Works in early childhood education in {city}, welcoming newly arrived children and their families; experienced in {offer}.",
			"Supports newly arrived families in the preschools of {city}, with a focus on {offer}.",
		},
	},
	{ // NGO project manager
		weight: 12, kind: kindNGO,
		en: []string{"Project manager", "Programme manager", "Head of projects", "Operations manager"},
		local: map[string][]string{
			"sv": {"Projektledare", "Verksamhetsledare"},
			"nb": {"Prosjektleder", "Daglig leder"},
			"da": {"Projektleder", "Projektkoordinator"},
			"fi": {"Projektipäällikkö", "Toiminnanjohtaja"},
			"is": {"Verkefnastjóri"},
		},
		keywords: []string{"civil", "society", "volunt", "culture", "sport", "democra", "citizen", "particip", "mentor"},
		bios: []string{
			"Runs a civil-society project in {city} on {offer}.",
			"Manages volunteer-based activities for newcomers in {city}, with a focus on {offer}.",
		},
	},
	{ // migrant-led organisation
		weight: 6, kind: kindMigrant,
		en: []string{"Chair", "Coordinator", "Community organiser", "Peer-support coordinator"},
		local: map[string][]string{
			"sv": {"Ordförande", "Samordnare"},
			"nb": {"Styreleder", "Koordinator"},
			"da": {"Formand", "Koordinator"},
			"fi": {"Puheenjohtaja", "Koordinaattori"},
			"is": {"Formaður"},
		},
		keywords: []string{"civil", "society", "women", "gender", "equal", "democra", "particip", "citizen", "health", "culture"},
		bios: []string{
			"Leads a migrant-led association in {city} and works with {offer}.",
			"Organises peer support by and for newcomers in {city}, focusing on {offer}.",
		},
	},
	{ // researcher
		weight: 10, kind: kindResearch,
		en: []string{"Researcher", "Postdoctoral researcher", "Associate professor", "Doctoral researcher", "Senior lecturer", "Professor"},
		local: map[string][]string{
			"sv": {"Forskare", "Universitetslektor", "Doktorand"},
			"nb": {"Forsker", "Førsteamanuensis", "Stipendiat"},
			"da": {"Forsker", "Lektor", "Ph.d.-studerende"},
			"fi": {"Tutkija", "Yliopistonlehtori", "Väitöskirjatutkija"},
			"is": {"Dósent", "Sérfræðingur"},
		},
		bios: []string{
			"Researches {offer} in {country}, with a comparative Nordic perspective.",
			"Studies {offer} in {country} and works closely with municipalities and civil society.",
		},
	},
	{ // volunteer coordinator
		weight: 6, kind: kindNGO,
		en: []string{"Volunteer coordinator", "Mentor programme coordinator"},
		local: map[string][]string{
			"sv": {"Volontärsamordnare"},
			"nb": {"Frivilligkoordinator"},
			"da": {"Frivilligkoordinator"},
			"fi": {"Vapaaehtoistoiminnan koordinaattori"},
			"is": {"Umsjónarmaður sjálfboðaliða"},
		},
		keywords: []string{"volunt", "civil", "mentor", "language", "culture", "sport", "rural"},
		bios: []string{
			"Coordinates volunteers who support newcomers in {city}, with experience of {offer}.",
			"Matches newly arrived residents of {city} with local volunteers and mentors, above all on {offer}.",
		},
	},
	{ // interpreter-service manager
		weight: 3, kind: kindMunicipal, unit: unitIntegration,
		en: []string{"Interpreter-service manager", "Head of interpreting services"},
		local: map[string][]string{
			"sv": {"Chef för tolkförmedlingen"},
			"nb": {"Leder for tolketjenesten"},
			"da": {"Leder af tolkeservice"},
			"fi": {"Tulkkauspalvelujen päällikkö"},
		},
		keywords: []string{"language", "interpret", "health", "communic"},
		bios: []string{
			"Manages interpreting for the public services of {city} and works with {offer}.",
		},
	},
	{ // social worker
		weight: 6, kind: kindMunicipal, unit: unitIntegration,
		en: []string{"Social worker, refugee reception", "Family counsellor", "Social worker"},
		local: map[string][]string{
			"sv": {"Socialsekreterare", "Familjebehandlare"},
			"nb": {"Sosionom", "Familieterapeut"},
			"da": {"Socialrådgiver", "Familiekonsulent"},
			"fi": {"Sosiaalityöntekijä", "Perhetyöntekijä"},
			"is": {"Félagsráðgjafi"},
		},
		keywords: []string{"health", "famil", "child", "violen", "housing", "safe", "prevent", "gender"},
		bios: []string{
			"Works with refugee families in {city}, focusing on {offer}.",
			"Supports newly arrived families in {city} through social work, with experience of {offer}.",
		},
	},
	{ // ministry official
		weight: 3, kind: kindNone,
		en: []string{"Senior adviser, integration policy", "Desk officer, migration and integration", "Head of section, integration"},
		local: map[string][]string{
			"sv": {"Departementssekreterare", "Kansliråd"},
			"nb": {"Seniorrådgiver", "Avdelingsdirektør"},
			"da": {"Fuldmægtig", "Chefkonsulent"},
			"fi": {"Hallitusneuvos", "Neuvotteleva virkamies"},
			"is": {"Sérfræðingur í ráðuneyti"},
		},
		keywords: []string{"policy", "govern", "segregat", "extremism", "safe", "labour", "democra"},
		bios: []string{
			"Works on national integration policy in {country}, with responsibility for {offer}.",
		},
	},
	{ // agency adviser
		weight: 4, kind: kindNone,
		en: []string{"Adviser", "Senior adviser", "Analyst"},
		local: map[string][]string{
			"sv": {"Utredare", "Handläggare"},
			"nb": {"Rådgiver", "Seniorrådgiver"},
			"da": {"Specialkonsulent", "Fuldmægtig"},
			"fi": {"Erityisasiantuntija", "Ylitarkastaja"},
			"is": {"Sérfræðingur"},
		},
		keywords: []string{"labour", "competence", "skill", "recogni", "housing", "settle", "rural", "health"},
		bios: []string{
			"Advises municipalities across {country} on {offer}.",
			"Analyses national data and supports municipalities in {country} on {offer}.",
		},
	},
}

// roleWeights are the shares of roles, in the order of roles.
var roleWeights = func() []int {
	w := make([]int, len(roles))
	for i, r := range roles {
		w[i] = r.weight
	}
	return w
}()

// seekSentences end an English bio with what the person wants to learn.
var seekSentences = []string{
	"Would like to learn from Nordic colleagues about {seek}.",
	"Looking for peers in other Nordic countries who work on {seek}.",
	"Interested in how others in the Nordic countries approach {seek}.",
}

// localBios are bios in the title language, one sentence with {title}, {city}, {offer} and an
// optional second with {seek}. Each language avoids inflecting the inserted names.
var localBios = map[string][2]string{
	"sv": {"{title} i {city}. Arbetar med {offer}.", "Vill gärna lära sig mer om {seek} från andra nordiska länder."},
	"nb": {"{title} i {city}. Jobber med {offer}.", "Ønsker å lære mer om {seek} fra andre nordiske land."},
	"da": {"{title} i {city}. Arbejder med {offer}.", "Vil gerne lære mere om {seek} fra andre nordiske lande."},
	"fi": {"{title}, {city}. Osaamisalue: {offer}.", "Kiinnostunut oppimaan muilta Pohjoismailta aiheesta: {seek}."},
	"is": {"{title}, {city}. Sérsvið: {offer}.", "Vill læra meira um: {seek}."},
}

// secondRoles are the roles of an occasional second affiliation, by kind of organisation.
var secondRoles = [numKinds][]string{
	kindMunicipal: {"Adviser", "Member of the integration council"},
	kindNGO:       {"Board member", "Volunteer mentor"},
	kindMigrant:   {"Board member", "Adviser"},
	kindResearch:  {"Affiliated researcher", "Member of the advisory board"},
}
