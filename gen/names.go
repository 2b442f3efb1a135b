package gen

// Danish first names by sex and by the era of birth they were popular in.
var (
	femaleNames = [3][]string{
		{"Kirsten", "Hanne", "Anne", "Mette", "Susanne", "Lene", "Inge", "Bente", "Karen", "Jette",
			"Birgitte", "Ulla", "Grethe", "Else", "Inger", "Ruth", "Ingrid", "Lis", "Lone", "Pia",
			"Vibeke", "Annette", "Dorthe", "Marianne", "Helle", "Tove", "Jytte", "Merete", "Gitte", "Aase",
			"Edith", "Ellen", "Gerda", "Erna", "Birthe", "Lilian", "Winnie", "Bodil", "Karin", "Elisabeth"},
		{"Mette", "Camilla", "Louise", "Maria", "Charlotte", "Tina", "Stine", "Trine", "Rikke", "Sanne",
			"Malene", "Pernille", "Heidi", "Christina", "Katrine", "Line", "Signe", "Julie", "Sarah", "Nanna",
			"Maja", "Sofie", "Anne", "Marie", "Cecilie", "Mia", "Kristina", "Lærke", "Natasja", "Josefine",
			"Amalie", "Ditte", "Simone", "Tanja", "Janni", "Anja", "Lisbeth", "Helene", "Rebekka", "Mathilde"},
		{"Emma", "Ida", "Clara", "Freja", "Alma", "Ella", "Agnes", "Sofia", "Laura", "Karla",
			"Olivia", "Anna", "Josefine", "Aya", "Nora", "Luna", "Ellie", "Asta", "Frida", "Mathilde",
			"Victoria", "Alberte", "Lily", "Esther", "Liv", "Vigga", "Marie", "Isabella", "Caroline", "Emilie",
			"Sofie", "Filippa", "Saga", "Lea", "Silje", "Johanne", "Mille", "Molly", "Andrea", "Naja"},
	}
	maleNames = [3][]string{
		{"Jens", "Peter", "Hans", "Niels", "Jørgen", "Poul", "Erik", "Ole", "Per", "Lars",
			"Henrik", "Bent", "Knud", "Svend", "Finn", "Kurt", "Torben", "Carsten", "Steen", "Flemming",
			"Arne", "Leif", "Bjarne", "Preben", "Kaj", "Erling", "Frank", "Jan", "Kim", "Gert",
			"Ib", "Keld", "Mogens", "Ejvind", "John", "Palle", "Verner", "Willy", "Aage", "Børge"},
		{"Michael", "Thomas", "Martin", "Christian", "Anders", "Morten", "Jesper", "Søren", "Rasmus", "Jacob",
			"Mads", "Kasper", "Brian", "Allan", "Claus", "Mikkel", "Nicolai", "Simon", "Daniel", "Jonas",
			"Kenneth", "Dennis", "René", "Jeppe", "Frederik", "Tobias", "Sebastian", "Mathias", "Emil", "Andreas",
			"Kristian", "Stefan", "Jakob", "Lasse", "Kristoffer", "Troels", "Bo", "Rune", "Casper", "Philip"},
		{"William", "Noah", "Oscar", "Lucas", "Victor", "Malthe", "Emil", "Oliver", "Alfred", "Carl",
			"Magnus", "Valdemar", "Aksel", "Elias", "August", "Villads", "Johan", "Arthur", "Theo", "Anton",
			"Felix", "Otto", "Liam", "Storm", "Frederik", "Alexander", "Benjamin", "Mikkel", "Christian", "Marius",
			"Laurits", "Konrad", "Viggo", "Loke", "Aron", "Bertram", "Sigurd", "Hugo", "Adam", "Silas"},
	}
	// Second first names, as in "Anne Marie" or "Peter Emil".
	femaleSecond = []string{"Marie", "Louise", "Sofie", "Kathrine", "Margrethe", "Elisabeth", "Cecilie", "Amalie", "Kristine", "Helene"}
	maleSecond   = []string{"Peter", "Christian", "Emil", "Frederik", "Johan", "Valdemar", "Alexander", "August", "Kristian", "Nikolaj"}

	middleNames = []string{"Juul", "Skov", "Kjær", "Holm", "Lund", "Dahl", "Bach", "Krogh", "Damgaard", "Møller",
		"Munk", "Bruun", "Vestergaard", "Fogh", "Brandt", "Lind", "Berg", "Bak", "Nørgaard", "Toft",
		"Kirk", "Friis", "Storm", "Aagaard", "Winther", "Riis", "Borg", "Hald", "Lykke", "Bech",
		"Ravn", "Kofoed", "Bang", "Kragh", "Overgaard", "Hedegaard", "Engelbrecht", "Thorsager"}

	// lastNames holds common Danish surnames with weights roughly
	// proportional to their frequency.
	lastNames = []string{"Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
		"Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
		"Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Jacobsen", "Mikkelsen",
		"Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen", "Holm",
		"Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Jeppesen", "Mogensen",
		"Jespersen", "Nissen", "Lauridsen", "Kjær", "Carlsen", "Østergaard", "Jepsen", "Vestergaard",
		"Thygesen", "Søndergaard", "Mathiasen", "Berg", "Bach", "Dam", "Kjeldsen", "Nørgaard",
		"Lassen", "Hermansen", "Bang", "Friis", "Dalgaard", "Munk", "Krog", "Toft",
		"Bruun", "Bech", "Winther", "Juhl", "Lindberg", "Kirkegaard", "Brandt", "Fischer",
		"Abildgaard", "Overgaard", "Skovgaard", "Gregersen", "Bertelsen", "Steffensen", "Villadsen", "Bonde"}
	lastNameCum = cumulative(lastNameWeights())
)

func lastNameWeights() []float64 {
	w := make([]float64, len(lastNames))
	top := []float64{250, 245, 210, 155, 150, 110, 104, 96, 86, 84, 70, 56, 53, 50, 42, 41, 39, 38, 37, 34}
	for i := range w {
		if i < len(top) {
			w[i] = top[i]
		} else {
			w[i] = 25 - float64(i-len(top))*0.3
		}
	}
	return w
}

// Street names are built from a first part and an ending, as in "Birkevej"
// or "Møllebakken", and a few are named after people.
var (
	streetStems = []string{"Birke", "Ege", "Bøge", "Ahorn", "Skov", "Mølle", "Kirke", "Strand", "Sø", "Eng",
		"Mark", "Bakke", "Lærke", "Vibe", "Rose", "Lyng", "Hyld", "Kastanje", "Elme", "Nørre",
		"Sønder", "Vester", "Øster", "Hede", "Kløver", "Rådhus", "Skole", "Stations", "Havne", "Fyrre",
		"Gran", "Pile", "Poppel", "Hassel", "Lind", "Ask", "Rønne", "Tjørne", "Slåen", "Hvede",
		"Rug", "Byg", "Havre", "Humle", "Syren", "Jasmin", "Tulipan", "Nellike", "Valmue", "Blåbær",
		"Hindbær", "Æble", "Kirsebær", "Blomme", "Pære", "Solsikke", "Fasan", "Due", "Svane", "Stær",
		"Drossel", "Falke", "Ørne", "Ravne", "Musvåge", "Spurve", "Mejse", "Hjorte", "Rå", "Ræve",
		"Grævlinge", "Bæver", "Odder", "Sol", "Måne", "Stjerne", "Nord", "Fjord", "Bølge", "Klint",
		"Vang", "Toft", "Gårds", "Smedie", "Bager", "Præste", "Degne", "Fiskers", "Skipper", "Tømrer",
		"Vinge", "Sejl", "Anker", "Fyr", "Klit", "Sand", "Ager", "Kilde", "Bæk", "Å",
		"Vand", "Mose", "Kær", "Dal", "Høj", "Bjerg", "Lunde", "Have", "Park", "Ved",
		"Tranebær", "Engblomme", "Kornblomst", "Brombær", "Kæruld", "Vejbred", "Skovsyre", "Anemone", "Gyvel", "Enebær"}
	streetEndings = []string{"vej", "gade", "allé", "stræde", "parken", "haven", "vænget", "toften", "bakken", "høj",
		"lund", "marken", "engen", "stien", "vangen", "kæret", "løkken", "holm", "gården", "dalen"}
	streetPersons = []string{"H.C. Andersens", "Grundtvigs", "Ørsteds", "Niels Bohrs", "Tordenskjolds", "Kierkegaards",
		"Blichers", "Holbergs", "Ingemanns", "Oehlenschlægers", "Steno", "Tycho Brahes", "Carl Nielsens",
		"Rasmus Rasks", "Skjoldungs", "Dronning Ingrids", "Kong Valdemars", "Absalons", "Esrum", "Bernstorffs"}
	streetPersonEndings = []string{" Vej", " Gade", " Allé", " Plads", " Boulevard"}
)

// country is a foreign country: its CPR country code (myndighedskode), its
// Danish name in capitals as written on the last line of a foreign address,
// and material for names and addresses of its people.
type country struct {
	code      int
	name      string
	female    []string
	male      []string
	last      []string
	cities    []string
	street    string // a street word; addresses are "<street> <number>"
	numFirst  bool   // the number comes before the street, as in "12 High Street"
	postDigit int    // digits in a postal code
}

// Denmark's country code in CPR.
const denmark = 5100

var countries = []country{
	{5154, "POLEN", []string{"Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna"}, []string{"Piotr", "Tomasz", "Krzysztof", "Pawel", "Marcin"},
		[]string{"Nowak", "Wojcik", "Kowalczyk", "Mazur", "Krawczyk", "Zajac"}, []string{"Warszawa", "Krakow", "Gdansk", "Poznan", "Wroclaw"}, "ul. Dluga", false, 5},
	{5158, "RUMÆNIEN", []string{"Ioana", "Elena", "Maria", "Andreea"}, []string{"Andrei", "Mihai", "Alexandru", "Ion"},
		[]string{"Popescu", "Ionescu", "Popa", "Stan", "Dumitru"}, []string{"Bucuresti", "Cluj-Napoca", "Iasi", "Timisoara"}, "Strada Mare", false, 6},
	{5180, "TYSKLAND", []string{"Anna", "Julia", "Katharina", "Sabine", "Lena"}, []string{"Lukas", "Jonas", "Stefan", "Andreas", "Thomas"},
		[]string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner"}, []string{"Hamburg", "Berlin", "Kiel", "Flensburg", "München"}, "Hauptstraße", false, 5},
	{5172, "TYRKIET", []string{"Ayse", "Fatma", "Elif", "Zeynep", "Emine"}, []string{"Mehmet", "Mustafa", "Ahmet", "Ali", "Emre"},
		[]string{"Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Yildiz", "Aydin"}, []string{"Istanbul", "Ankara", "Izmir", "Konya"}, "Atatürk Caddesi", false, 5},
	{5120, "SVERIGE", []string{"Anna", "Eva", "Karin", "Sara", "Elin"}, []string{"Erik", "Lars", "Anders", "Johan", "Nils"},
		[]string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson"}, []string{"Stockholm", "Göteborg", "Malmö", "Lund", "Uppsala"}, "Storgatan", false, 5},
	{5170, "STORBRITANNIEN", []string{"Emily", "Sophie", "Charlotte", "Sarah"}, []string{"James", "Oliver", "Thomas", "David"},
		[]string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson"}, []string{"London", "Manchester", "Edinburgh", "Bristol"}, "High Street", true, 0},
	{5110, "NORGE", []string{"Ingrid", "Kari", "Silje", "Ingeborg"}, []string{"Ole", "Bjørn", "Knut", "Håkon"},
		[]string{"Hansen", "Johansen", "Olsen", "Berg", "Haugen"}, []string{"Oslo", "Bergen", "Trondheim", "Stavanger"}, "Storgata", false, 4},
	{5150, "ITALIEN", []string{"Giulia", "Francesca", "Chiara"}, []string{"Marco", "Luca", "Giuseppe"},
		[]string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi"}, []string{"Roma", "Milano", "Torino", "Napoli"}, "Via Roma", false, 5},
	{5164, "SPANIEN", []string{"Lucia", "Maria", "Carmen", "Laura"}, []string{"Javier", "Pablo", "Carlos", "David"},
		[]string{"Garcia", "Fernandez", "Gonzalez", "Rodriguez", "Lopez"}, []string{"Madrid", "Barcelona", "Valencia", "Sevilla"}, "Calle Mayor", false, 5},
	{5390, "USA", []string{"Emily", "Jessica", "Ashley", "Sarah"}, []string{"Michael", "Christopher", "Matthew", "Daniel"},
		[]string{"Smith", "Johnson", "Williams", "Brown", "Miller"}, []string{"New York", "Chicago", "Seattle", "Boston"}, "Main Street", true, 5},
	{5140, "NEDERLANDENE", []string{"Anna", "Sanne", "Lotte"}, []string{"Jan", "Daan", "Pieter"},
		[]string{"de Jong", "Jansen", "de Vries", "van Dijk", "Bakker"}, []string{"Amsterdam", "Rotterdam", "Utrecht"}, "Kerkstraat", false, 4},
	{5130, "FRANKRIG", []string{"Camille", "Julie", "Marie"}, []string{"Thomas", "Nicolas", "Pierre"},
		[]string{"Martin", "Bernard", "Dubois", "Durand", "Moreau"}, []string{"Paris", "Lyon", "Marseille", "Toulouse"}, "rue de la Paix", true, 5},
}

// Weights of the countries above as origin of immigrants and as destination
// of emigrants.
var (
	immigrantCum  = cumulative([]float64{15, 12, 10, 10, 8, 7, 5, 6, 5, 4, 4, 4})
	emigrationCum = cumulative([]float64{3, 1, 12, 2, 20, 15, 12, 3, 8, 12, 5, 5})
)

// occupations fill the old CPR field stilling for some adults.
var occupations = []string{"Skolelærer", "Sygeplejerske", "Tømrer", "Elektriker", "Ingeniør", "Pædagog",
	"Kontorassistent", "Lagerarbejder", "Læge", "Butiksassistent", "Chauffør", "Landmand",
	"Murer", "Social- og sundhedshjælper", "Advokat", "Revisor", "Programmør", "Smed",
	"Frisør", "Kok", "Politibetjent", "Studerende", "Pensionist", "Selvstændig"}

// noteLines are folkeregister notes (notat).
var noteLines = []string{"Bopælsattest udstedt", "Navnebevis udstedt", "Oplysning om fader mangler",
	"Adresse oplyst af kommunen", "Henvendelse om flytning modtaget", "Dokumentation for navn modtaget",
	"Sag om bopæl afsluttet", "Fødested oplyst af anmelder", "Udlandsadresse ikke bekræftet"}

// guardians are guardians (værger) who are not in CPR.
var guardians = []struct{ name, line1, line2 string }{
	{"Advokat Lise Holm", "Vestergade 12, 2. sal", "8000 Aarhus C"},
	{"Advokat Henrik Brandt", "Amagertorv 9", "1160 København K"},
	{"Advokatfirmaet Lund & Bach", "Vesterbro 44", "9000 Aalborg"},
	{"Advokat Mette Kjær", "Kongensgade 31", "5000 Odense C"},
}

// contacts are contact addresses (kontaktadresse) of persons who receive
// their mail elsewhere.
var contacts = []struct{ line1, line2, line3 string }{
	{"c/o Advokat Lise Holm", "Vestergade 12, 2. sal", "8000 Aarhus C"},
	{"c/o Kommunens Borgerservice", "Rådhuspladsen 1", "1550 København V"},
	{"Postboks 118", "", "9000 Aalborg"},
}
