package demo

// nameSet is a pool of common given and family names. Demo people combine them at random, so
// that no generated person is a real one; the pools only make the data look like the place.
type nameSet struct {
	female []string
	male   []string
	family []string
	// patronymic says that family holds genitive stems to which "son" or "dóttir" is added
	// (Icelandic names).
	patronymic bool
	// feminine turns a family name into its feminine form where the language has one (Polish
	// -ski → -ska); nil when it has not.
	feminine func(string) string
}

var swedishNames = nameSet{
	female: []string{"Anna", "Maria", "Eva", "Karin", "Kristina", "Lena", "Sara", "Emma", "Elin", "Johanna",
		"Malin", "Ida", "Linnea", "Hanna", "Sofia", "Frida", "Ingrid", "Maja", "Ebba", "Louise"},
	male: []string{"Lars", "Anders", "Johan", "Per", "Erik", "Karl", "Magnus", "Mikael", "Fredrik", "Henrik",
		"Oskar", "Gustav", "David", "Jonas", "Daniel", "Marcus", "Niklas", "Axel", "Viktor", "Olof"},
	family: []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
		"Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
		"Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg",
		"Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund",
		"Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Danielsson"},
}

var norwegianNames = nameSet{
	female: []string{"Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Hilde",
		"Nina", "Silje", "Ingvild", "Marte", "Ida", "Nora", "Thea", "Ragnhild", "Solveig", "Kristin"},
	male: []string{"Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas",
		"Hans", "Geir", "Tor", "Morten", "Even", "Sindre", "Håkon", "Eirik", "Magnus", "Øystein"},
	family: []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
		"Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen",
		"Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen",
		"Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg", "Svendsen", "Eide", "Knutsen",
		"Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen", "Lie"},
}

var danishNames = nameSet{
	female: []string{"Anne", "Kirsten", "Mette", "Hanne", "Susanne", "Lene", "Maria", "Marianne", "Camilla", "Louise",
		"Charlotte", "Pia", "Tina", "Line", "Julie", "Sofie", "Ida", "Freja", "Cecilie", "Signe"},
	male: []string{"Peter", "Jens", "Lars", "Michael", "Henrik", "Thomas", "Søren", "Jan", "Niels", "Morten",
		"Anders", "Rasmus", "Jesper", "Martin", "Mads", "Mikkel", "Christian", "Frederik", "Kasper", "Jonas"},
	family: []string{"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
		"Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
		"Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Olesen",
		"Frederiksen", "Laursen", "Henriksen", "Lund", "Holm", "Schmidt", "Eriksen", "Kristiansen",
		"Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Jeppesen", "Vestergaard", "Nissen"},
}

var finnishNames = nameSet{
	female: []string{"Anna", "Maria", "Aino", "Helena", "Johanna", "Kaisa", "Laura", "Liisa", "Marja", "Minna",
		"Riikka", "Sari", "Tiina", "Satu", "Hanna", "Elina", "Emilia", "Kirsi", "Päivi", "Sanna"},
	male: []string{"Juha", "Timo", "Matti", "Mikko", "Jari", "Antti", "Kari", "Jukka", "Pekka", "Markku",
		"Ville", "Janne", "Tuomas", "Lauri", "Eero", "Olli", "Petri", "Heikki", "Sami", "Teemu"},
	family: []string{"Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
		"Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
		"Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen",
		"Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen", "Hiltunen", "Hirvonen",
		"Kallio", "Leppänen", "Miettinen", "Väisänen", "Pitkänen", "Aaltonen", "Ojala", "Peltonen"},
}

// finlandSwedishNames serve the Swedish-speaking Finns and Åland.
var finlandSwedishNames = nameSet{
	female: []string{"Anna", "Maria", "Linda", "Sofia", "Camilla", "Johanna", "Malin", "Annika", "Jessica", "Ulrika",
		"Ida", "Emma", "Sara", "Frida", "Matilda", "Ellen", "Stina", "Susanne", "Carola", "Jenny"},
	male: []string{"Mikael", "Johan", "Fredrik", "Henrik", "Anders", "Stefan", "Patrik", "Kristian", "Thomas", "Niklas",
		"Mats", "Christer", "Jonas", "Oskar", "Anton", "Emil", "Viktor", "Robert", "Kenneth", "Rasmus"},
	family: []string{"Lindholm", "Nyström", "Sjöberg", "Lindqvist", "Holmström", "Grönroos", "Forsman", "Öhman",
		"Wikström", "Åkerman", "Björklund", "Nordström", "Strandberg", "Eriksson", "Lindroos", "Sundström",
		"Ekholm", "Fagerström", "Backman", "Söderlund", "Karlsson", "Mattsson", "Jansson", "Sundblom",
		"Fellman", "Holmberg", "Nordlund", "Sjölund", "Dahlén", "Gustafsson", "Westerlund", "Blomqvist",
		"Lindfors", "Granqvist", "Sandell", "Mattfolk", "Kullberg", "Hägglund", "Enqvist", "Rosenberg"},
}

// icelandicNames hold genitive stems as family names: a woman is Jónsdóttir, a man Jónsson.
var icelandicNames = nameSet{
	female: []string{"Guðrún", "Anna", "Kristín", "Sigríður", "Margrét", "Helga", "Sigrún", "Ingibjörg", "Jóhanna", "María",
		"Katrín", "Ólöf", "Elín", "Hildur", "Ragnheiður", "Sólveig", "Birna", "Þórunn", "Eva", "Steinunn"},
	male: []string{"Jón", "Sigurður", "Guðmundur", "Gunnar", "Ólafur", "Einar", "Kristján", "Magnús", "Stefán", "Jóhann",
		"Björn", "Árni", "Helgi", "Páll", "Þór", "Ragnar", "Halldór", "Bjarni", "Eiríkur", "Ásgeir"},
	family: []string{"Jóns", "Sigurðar", "Guðmundar", "Gunnars", "Ólafs", "Einars", "Kristjáns", "Magnúsar",
		"Stefáns", "Jóhanns", "Björns", "Árna", "Helga", "Páls", "Þórs", "Ragnars", "Halldórs", "Bjarna",
		"Eiríks", "Ásgeirs", "Hauks", "Arnar", "Finns", "Davíðs", "Sveins", "Gísla", "Birgis", "Hjalta",
		"Kára", "Óskars", "Friðriks", "Karls", "Þórðar", "Sigurjóns", "Ingólfs", "Hannesar", "Snorra",
		"Valdimars", "Hilmars", "Agnars"},
	patronymic: true,
}

var faroeseNames = nameSet{
	female: []string{"Anna", "Maria", "Sunniva", "Guðrun", "Turið", "Rannvá", "Marjun", "Elin", "Sólrun", "Jóhanna",
		"Kristina", "Bjørg", "Ragna", "Katrin", "Hanna", "Ása", "Beinta", "Eyð", "Durita", "Rakul"},
	male: []string{"Jógvan", "Bárður", "Rógvi", "Heðin", "Sámal", "Hans", "Jón", "Óli", "Pól", "Símun",
		"Høgni", "Tróndur", "Kári", "Eyðun", "Brandur", "Sjúrður", "Rúni", "Finnur", "Gunnar", "Jákup"},
	family: []string{"Joensen", "Hansen", "Jacobsen", "Olsen", "Poulsen", "Petersen", "Johannesen", "Dam",
		"Mortensen", "Djurhuus", "Højgaard", "Lamhauge", "Niclasen", "Háberg", "Thomsen", "Rasmussen",
		"Nielsen", "Jensen", "Danielsen", "Simonsen", "Justinussen", "Ellefsen", "Mikkelsen", "Andreasen",
		"Dahl", "Zachariasen", "Gregersen", "Hentze", "Johansen", "Midjord", "Patursson", "Reinert",
		"Vang", "Weihe", "Eliasen", "Egholm", "Klettskarð", "Nolsøe", "Gaard", "Lützen"},
}

// greenlandicNames mix Greenlandic and Danish names, as Greenland does.
var greenlandicNames = nameSet{
	female: []string{"Naja", "Aviaja", "Pipaluk", "Nivi", "Ane", "Bolatta", "Malene", "Arnaq", "Paninnguaq", "Nukaaka",
		"Sara", "Karen", "Ivalu", "Inger", "Najaaraq", "Marie", "Aaju", "Kirsten", "Laila", "Tupaarnaq"},
	male: []string{"Aputsiaq", "Malik", "Inuk", "Nuka", "Peter", "Jens", "Aqqaluk", "Kaali", "Pavia", "Vittus",
		"Ole", "Niels", "Kunuk", "Nikolaj", "Minik", "Anders", "Ujarak", "Hans", "Frederik", "Kristian"},
	family: []string{"Kleist", "Lynge", "Olsen", "Petersen", "Berthelsen", "Kristiansen", "Motzfeldt", "Egede",
		"Heilmann", "Kreutzmann", "Rosing", "Fleischer", "Lund", "Hammeken", "Jensen", "Larsen", "Nielsen",
		"Hansen", "Johansen", "Mathiassen", "Poulsen", "Frederiksen", "Jeremiassen", "Kuitse", "Geisler",
		"Høegh", "Lennert", "Møller", "Thorleifsen", "Chemnitz", "Vahl", "Sandgreen", "Brandt", "Danielsen",
		"Josefsen", "Zeeb", "Biilmann", "Storch", "Tobiassen", "Isaksen"},
}

// migrantGroup is a language community common among immigrants to the Nordic countries, with
// the ISO 639-1 code of its language and names in the usual Latin transcription.
type migrantGroup struct {
	lang  string
	names nameSet
}

// The migrant groups, in the order of the per-country weights in countrySpec.groups.
var migrantGroups = []migrantGroup{
	{"ar", nameSet{
		female: []string{"Fatima", "Amira", "Layla", "Noor", "Rania", "Hiba", "Yasmin", "Mariam", "Salma", "Reem", "Dalia", "Huda"},
		male:   []string{"Ahmed", "Mohammed", "Omar", "Ali", "Hassan", "Khaled", "Youssef", "Ibrahim", "Mahmoud", "Samir", "Tariq", "Bilal"},
		family: []string{"Al-Hassan", "Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Hamdan", "Abboud", "Darwish",
			"Hussein", "Jaber", "Karim", "Othman", "Rahman", "Sabri", "Yousef", "Zaher", "Al-Sayed", "Barakat", "Shami"},
	}},
	{"so", nameSet{
		female: []string{"Hodan", "Amina", "Fadumo", "Sahra", "Hawa", "Ifrah", "Nasra", "Deeqa", "Khadra", "Asli", "Ubah", "Hibo"},
		male:   []string{"Abdi", "Mohamed", "Abdirahman", "Hassan", "Yusuf", "Ahmed", "Mahad", "Liban", "Abdullahi", "Omar", "Guled", "Bashir"},
		family: []string{"Warsame", "Farah", "Jama", "Hussein", "Abdi", "Osman", "Ali", "Aden", "Nur", "Mohamud",
			"Egal", "Hersi", "Dirie", "Ismail", "Duale", "Guled", "Yusuf", "Ahmed", "Hassan", "Said"},
	}},
	{"fa", nameSet{
		female: []string{"Maryam", "Shirin", "Parisa", "Zahra", "Leila", "Nasrin", "Fereshteh", "Mina", "Roya", "Soraya", "Marzieh", "Fatemeh"},
		male:   []string{"Reza", "Ali", "Hossein", "Mehdi", "Amir", "Dariush", "Farid", "Hamid", "Javad", "Navid", "Mustafa", "Ahmad"},
		family: []string{"Ahmadi", "Hosseini", "Karimi", "Rahimi", "Mohammadi", "Rezaei", "Moradi", "Jafari", "Sadeghi",
			"Hashemi", "Azizi", "Nazari", "Sultani", "Rasuli", "Haidari", "Noori", "Amiri", "Safavi", "Tehrani", "Kazemi"},
	}},
	{"ti", nameSet{
		female: []string{"Selam", "Helen", "Senait", "Yohana", "Saba", "Rahel", "Mebrat", "Luwam", "Feven", "Tsega", "Winta", "Ruth"},
		male:   []string{"Yonas", "Tesfay", "Dawit", "Samuel", "Mehari", "Kibrom", "Filmon", "Habtom", "Mulugeta", "Berhane", "Henok", "Robel"},
		family: []string{"Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Tekle", "Weldemichael", "Ghebreyesus", "Asmerom",
			"Berhe", "Mebrahtu", "Negash", "Woldu", "Yohannes", "Ghirmay", "Abraha", "Fitwi", "Gebru", "Kahsay", "Mengstu", "Tewolde"},
	}},
	{"uk", nameSet{
		female: []string{"Olena", "Oksana", "Iryna", "Nataliia", "Tetiana", "Yuliia", "Kateryna", "Svitlana", "Anastasiia", "Halyna", "Viktoriia", "Mariia"},
		male:   []string{"Oleksandr", "Andrii", "Dmytro", "Serhii", "Mykola", "Vasyl", "Taras", "Yurii", "Bohdan", "Ihor", "Maksym", "Volodymyr"},
		family: []string{"Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko", "Oliinyk",
			"Koval", "Savchenko", "Rudenko", "Marchenko", "Lysenko", "Moroz", "Petrenko", "Hnatiuk", "Pavlenko", "Kuzmenko", "Polishchuk", "Tkachuk"},
	}},
	{"bs", nameSet{
		female: []string{"Amra", "Lejla", "Selma", "Emina", "Aida", "Merima", "Jasmina", "Sanela", "Azra", "Alma", "Belma", "Dženana"},
		male:   []string{"Emir", "Adnan", "Haris", "Senad", "Edin", "Mirza", "Kenan", "Nermin", "Jasmin", "Damir", "Armin", "Elvir"},
		family: []string{"Hodžić", "Hadžić", "Begić", "Delić", "Mehmedović", "Hasanović", "Kovačević", "Alić", "Husić",
			"Omerović", "Karić", "Salihović", "Mujić", "Ibrahimović", "Halilović", "Čaušević", "Suljić", "Smajić", "Dedić", "Hrustić"},
	}},
	{"pl", nameSet{
		female: []string{"Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Małgorzata", "Monika", "Ewa", "Karolina", "Aleksandra", "Natalia", "Marta"},
		male:   []string{"Piotr", "Tomasz", "Paweł", "Krzysztof", "Marcin", "Michał", "Łukasz", "Grzegorz", "Jakub", "Adam", "Kamil", "Wojciech"},
		family: []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
			"Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk", "Piotrowski",
			"Grabowski", "Nowakowski", "Pawłowski"},
		feminine: polishFeminine,
	}},
	{"ku", nameSet{
		female: []string{"Rojda", "Berfin", "Dilan", "Nazdar", "Hêvî", "Jiyan", "Rojin", "Shilan", "Zilan", "Avin", "Nishtiman", "Sozan"},
		male:   []string{"Dilshad", "Rebwar", "Karwan", "Aram", "Hemin", "Shwan", "Baran", "Azad", "Serdar", "Rizgar", "Kawa", "Sherzad"},
		family: []string{"Ahmad", "Mustafa", "Rashid", "Abdullah", "Aziz", "Hamid", "Karim", "Salih", "Qadir", "Rasul",
			"Sharif", "Tahir", "Omer", "Faraj", "Majid", "Hussein", "Jalal", "Bakir", "Hasan", "Kaka"},
	}},
}

// polishFeminine gives the feminine form of a Polish adjectival family name (Kowalski → Kowalska).
func polishFeminine(family string) string {
	for _, suffix := range []string{"ski", "cki", "dzki"} {
		if len(family) > len(suffix) && family[len(family)-len(suffix):] == suffix {
			return family[:len(family)-1] + "a"
		}
	}
	return family
}
