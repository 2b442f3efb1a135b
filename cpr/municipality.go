package cpr

import (
	_ "embed"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
)

//go:embed kommuner.csv
var kommunerCSV string

// MunicipalityInfo is a Danish municipality (kommune).
type MunicipalityInfo struct {
	Code int    // CPR municipality code, such as 101
	Name string // Danish name, such as "København"
}

// municipalities holds the rows of kommuner.csv that are municipalities,
// sorted by code.
var municipalities, municipalityName = loadMunicipalities()

func loadMunicipalities() ([]MunicipalityInfo, map[int]string) {
	r := csv.NewReader(strings.NewReader(kommunerCSV))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		panic("cpr: kommuner.csv: " + err.Error())
	}
	var list []MunicipalityInfo
	names := make(map[int]string)
	for _, row := range rows[1:] { // skip header: kommunekode;navn;er_kommune
		code, err := strconv.Atoi(row[0])
		if err != nil {
			panic("cpr: kommuner.csv: " + err.Error())
		}
		if row[2] != "true" {
			continue // e.g. 0411 Ertholmene
		}
		list = append(list, MunicipalityInfo{Code: code, Name: row[1]})
		names[code] = row[1]
	}
	slices.SortFunc(list, func(a, b MunicipalityInfo) int { return a.Code - b.Code })
	return list, names
}

// Municipality returns the name of the municipality with the given code.
func Municipality(code int) (name string, ok bool) {
	name, ok = municipalityName[code]
	return name, ok
}

// Municipalities returns all 98 municipalities, sorted by code.
func Municipalities() []MunicipalityInfo {
	return slices.Clone(municipalities)
}
