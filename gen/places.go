package gen

import (
	"fmt"

	"cprgraph/cpr"
)

// postal is a postal code (postnummer) and its district name.
type postal struct {
	code     int
	district string
}

// place holds what the generator needs to know about a municipality besides
// its code and name: its population in thousands (around 2024), the share of
// its dwellings that are flats, and the postal codes of its main towns.
type place struct {
	pop    float64
	flats  float64
	postal []postal
}

func post(code int, district string) postal { return postal{code, district} }

// places is keyed by CPR municipality code.
var places = map[int]place{
	101: {660, 0.92, []postal{post(1150, "København K"), post(1360, "København K"), post(1620, "København V"), post(1700, "København V"), post(2100, "København Ø"), post(2150, "Nordhavn"), post(2200, "København N"), post(2300, "København S"), post(2400, "København NV"), post(2450, "København SV"), post(2500, "Valby"), post(2700, "Brønshøj"), post(2720, "Vanløse")}},
	147: {105, 0.92, []postal{post(1820, "Frederiksberg C"), post(1850, "Frederiksberg C"), post(1900, "Frederiksberg C"), post(2000, "Frederiksberg")}},
	151: {52, 0.5, []postal{post(2750, "Ballerup"), post(2760, "Måløv")}},
	153: {39, 0.5, []postal{post(2605, "Brøndby"), post(2660, "Brøndby Strand")}},
	155: {14, 0.3, []postal{post(2791, "Dragør")}},
	157: {75, 0.5, []postal{post(2820, "Gentofte"), post(2900, "Hellerup"), post(2920, "Charlottenlund"), post(2930, "Klampenborg")}},
	159: {70, 0.5, []postal{post(2860, "Søborg"), post(2870, "Dyssegård"), post(2880, "Bagsværd")}},
	161: {23, 0.5, []postal{post(2600, "Glostrup")}},
	163: {30, 0.5, []postal{post(2730, "Herlev")}},
	165: {28, 0.5, []postal{post(2620, "Albertslund")}},
	167: {54, 0.5, []postal{post(2650, "Hvidovre")}},
	169: {58, 0.4, []postal{post(2630, "Taastrup"), post(2640, "Hedehusene")}},
	173: {57, 0.5, []postal{post(2800, "Kongens Lyngby"), post(2830, "Virum")}},
	175: {41, 0.5, []postal{post(2610, "Rødovre")}},
	183: {24, 0.5, []postal{post(2635, "Ishøj")}},
	185: {43, 0.5, []postal{post(2770, "Kastrup")}},
	187: {17, 0.4, []postal{post(2625, "Vallensbæk"), post(2665, "Vallensbæk Strand")}},
	190: {41, 0.3, []postal{post(3500, "Værløse"), post(3520, "Farum")}},
	201: {26, 0.25, []postal{post(3450, "Allerød")}},
	210: {41, 0.3, []postal{post(3480, "Fredensborg"), post(2980, "Kokkedal"), post(2990, "Nivå")}},
	217: {63, 0.35, []postal{post(3000, "Helsingør"), post(3070, "Snekkersten"), post(3100, "Hornbæk")}},
	219: {52, 0.35, []postal{post(3400, "Hillerød")}},
	223: {25, 0.3, []postal{post(2970, "Hørsholm")}},
	230: {57, 0.3, []postal{post(2840, "Holte"), post(2950, "Vedbæk"), post(3460, "Birkerød")}},
	240: {44, 0.2, []postal{post(3650, "Ølstykke"), post(3660, "Stenløse"), post(3670, "Veksø Sjælland")}},
	250: {46, 0.25, []postal{post(3600, "Frederikssund"), post(3630, "Jægerspris")}},
	253: {51, 0.3, []postal{post(2670, "Greve")}},
	259: {62, 0.3, []postal{post(4600, "Køge")}},
	260: {31, 0.2, []postal{post(3300, "Frederiksværk"), post(3390, "Hundested")}},
	265: {91, 0.35, []postal{post(4000, "Roskilde"), post(4040, "Jyllinge")}},
	269: {23, 0.25, []postal{post(2680, "Solrød Strand")}},
	270: {41, 0.15, []postal{post(3200, "Helsinge"), post(3230, "Græsted"), post(3250, "Gilleleje")}},
	306: {33, 0.15, []postal{post(4500, "Nykøbing Sj"), post(4550, "Asnæs"), post(4573, "Højby")}},
	316: {72, 0.3, []postal{post(4300, "Holbæk"), post(4340, "Tølløse")}},
	320: {37, 0.2, []postal{post(4640, "Faxe"), post(4690, "Haslev")}},
	326: {48, 0.25, []postal{post(4400, "Kalundborg")}},
	329: {35, 0.3, []postal{post(4100, "Ringsted")}},
	330: {79, 0.3, []postal{post(4200, "Slagelse"), post(4220, "Korsør"), post(4230, "Skælskør")}},
	336: {23, 0.15, []postal{post(4660, "Store Heddinge")}},
	340: {30, 0.2, []postal{post(4180, "Sorø")}},
	350: {28, 0.15, []postal{post(4320, "Lejre"), post(4330, "Hvalsø")}},
	360: {40, 0.2, []postal{post(4900, "Nakskov"), post(4930, "Maribo")}},
	370: {84, 0.3, []postal{post(4700, "Næstved")}},
	376: {60, 0.25, []postal{post(4800, "Nykøbing F")}},
	390: {46, 0.2, []postal{post(4760, "Vordingborg"), post(4720, "Præstø")}},
	400: {39, 0.2, []postal{post(3700, "Rønne"), post(3730, "Nexø")}},
	410: {39, 0.2, []postal{post(5500, "Middelfart")}},
	420: {41, 0.15, []postal{post(5610, "Assens"), post(5620, "Glamsbjerg")}},
	430: {51, 0.15, []postal{post(5600, "Faaborg"), post(5750, "Ringe")}},
	440: {24, 0.15, []postal{post(5300, "Kerteminde")}},
	450: {32, 0.25, []postal{post(5800, "Nyborg")}},
	461: {207, 0.55, []postal{post(5000, "Odense C"), post(5200, "Odense V"), post(5210, "Odense NV"), post(5220, "Odense SØ"), post(5230, "Odense M"), post(5240, "Odense NØ"), post(5250, "Odense SV"), post(5260, "Odense S"), post(5270, "Odense N")}},
	479: {59, 0.3, []postal{post(5700, "Svendborg")}},
	480: {29, 0.15, []postal{post(5400, "Bogense"), post(5450, "Otterup")}},
	482: {12, 0.1, []postal{post(5900, "Rudkøbing")}},
	492: {6, 0.1, []postal{post(5970, "Ærøskøbing"), post(5960, "Marstal")}},
	510: {55, 0.25, []postal{post(6100, "Haderslev"), post(6500, "Vojens")}},
	530: {27, 0.15, []postal{post(7190, "Billund"), post(7200, "Grindsted")}},
	540: {73, 0.3, []postal{post(6400, "Sønderborg"), post(6430, "Nordborg")}},
	550: {37, 0.15, []postal{post(6270, "Tønder")}},
	561: {115, 0.4, []postal{post(6700, "Esbjerg"), post(6705, "Esbjerg Ø"), post(6710, "Esbjerg V"), post(6715, "Esbjerg N"), post(6760, "Ribe")}},
	563: {3.5, 0.1, []postal{post(6720, "Fanø")}},
	573: {50, 0.15, []postal{post(6800, "Varde")}},
	575: {43, 0.15, []postal{post(6600, "Vejen"), post(6630, "Rødding")}},
	580: {59, 0.25, []postal{post(6200, "Aabenraa")}},
	607: {52, 0.35, []postal{post(7000, "Fredericia")}},
	615: {98, 0.4, []postal{post(8700, "Horsens")}},
	621: {95, 0.4, []postal{post(6000, "Kolding")}},
	630: {120, 0.4, []postal{post(7100, "Vejle"), post(7300, "Jelling")}},
	657: {90, 0.3, []postal{post(7400, "Herning")}},
	661: {59, 0.3, []postal{post(7500, "Holstebro")}},
	665: {20, 0.15, []postal{post(7620, "Lemvig")}},
	671: {21, 0.2, []postal{post(7600, "Struer")}},
	706: {43, 0.15, []postal{post(8400, "Ebeltoft"), post(8410, "Rønde")}},
	707: {37, 0.2, []postal{post(8500, "Grenaa")}},
	710: {49, 0.15, []postal{post(8370, "Hadsten"), post(8382, "Hinnerup")}},
	727: {24, 0.2, []postal{post(8300, "Odder")}},
	730: {99, 0.4, []postal{post(8900, "Randers C"), post(8920, "Randers NV"), post(8930, "Randers NØ"), post(8940, "Randers SV"), post(8960, "Randers SØ")}},
	740: {97, 0.3, []postal{post(8600, "Silkeborg")}},
	741: {3.7, 0.1, []postal{post(8305, "Samsø")}},
	746: {64, 0.2, []postal{post(8660, "Skanderborg"), post(8680, "Ry")}},
	751: {367, 0.6, []postal{post(8000, "Aarhus C"), post(8200, "Aarhus N"), post(8210, "Aarhus V"), post(8220, "Brabrand"), post(8230, "Åbyhøj"), post(8240, "Risskov"), post(8250, "Egå"), post(8260, "Viby J"), post(8270, "Højbjerg")}},
	756: {42, 0.2, []postal{post(7430, "Ikast"), post(7330, "Brande")}},
	760: {56, 0.15, []postal{post(6950, "Ringkøbing"), post(6900, "Skjern")}},
	766: {47, 0.15, []postal{post(8722, "Hedensted"), post(7130, "Juelsminde")}},
	773: {20, 0.15, []postal{post(7900, "Nykøbing M")}},
	779: {46, 0.2, []postal{post(7800, "Skive")}},
	787: {43, 0.2, []postal{post(7700, "Thisted")}},
	791: {97, 0.3, []postal{post(8800, "Viborg")}},
	810: {36, 0.2, []postal{post(9700, "Brønderslev")}},
	813: {59, 0.25, []postal{post(9900, "Frederikshavn"), post(9990, "Skagen"), post(9300, "Sæby")}},
	820: {37, 0.15, []postal{post(9600, "Aars")}},
	825: {1.8, 0.1, []postal{post(9940, "Læsø")}},
	840: {30, 0.15, []postal{post(9520, "Skørping"), post(9530, "Støvring")}},
	846: {42, 0.2, []postal{post(9500, "Hobro"), post(9550, "Mariager")}},
	849: {38, 0.15, []postal{post(9440, "Aabybro"), post(9490, "Pandrup"), post(9690, "Fjerritslev")}},
	851: {222, 0.55, []postal{post(9000, "Aalborg"), post(9200, "Aalborg SV"), post(9210, "Aalborg SØ"), post(9220, "Aalborg Øst"), post(9400, "Nørresundby")}},
	860: {64, 0.25, []postal{post(9800, "Hjørring"), post(9850, "Hirtshals")}},
}

// municipality is a municipality of the generated address model.
type municipality struct {
	code int
	name string
	place
}

// municipalities returns the real municipalities with their place data, in
// code order.
func municipalities() ([]municipality, error) {
	var out []municipality
	for _, m := range cpr.Municipalities() {
		pl, ok := places[m.Code]
		if !ok {
			return nil, fmt.Errorf("gen: no place data for municipality %04d", m.Code)
		}
		out = append(out, municipality{code: m.Code, name: m.Name, place: pl})
	}
	return out, nil
}
