package cpr

import (
	"testing"
	"time"
)

func TestInForce(t *testing.T) {
	ptr := func(t time.Time) *time.Time { return &t }
	start := date(2020, 3, 1)
	end := date(2024, 3, 1)
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name       string
		start, end *time.Time
		today      time.Time
		want       bool
	}{
		{"no start", nil, nil, date(2022, 1, 1), false},
		{"no start with end", nil, &end, date(2022, 1, 1), false},
		{"day before start", &start, nil, date(2020, 2, 29), false},
		{"on start", &start, nil, start, true},
		{"on start, late in the day", &start, nil, date(2020, 3, 1).Add(23 * time.Hour), true},
		{"open ended", &start, nil, date(2099, 1, 1), true},
		{"before end", &start, &end, date(2024, 2, 29), true},
		{"on end", &start, &end, end, false},
		{"after end", &start, &end, date(2025, 1, 1), false},
		{"end equals start", &start, &start, start, false},
		{"start with time of day", ptr(start.Add(15 * time.Hour)), nil, start, true},
		{"other location", &start, &end, time.Date(2020, 3, 1, 0, 30, 0, 0, cet), true},
	}
	for _, tt := range tests {
		if got := InForce(tt.start, tt.end, tt.today); got != tt.want {
			t.Errorf("%s: InForce = %v, want %v", tt.name, got, tt.want)
		}
	}
}
