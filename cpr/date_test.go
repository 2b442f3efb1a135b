package cpr

import (
	"testing"
	"time"
)

// TestDanishDateIsTheDayInDenmark: late evening UTC is already the next
// day in Denmark, in summer (UTC+2) and winter (UTC+1) time.
func TestDanishDateIsTheDayInDenmark(t *testing.T) {
	t.Parallel()
	for instant, want := range map[string]string{
		"2024-06-30T21:59:59Z": "2024-06-30",
		"2024-06-30T22:00:00Z": "2024-07-01",
		"2024-12-31T22:59:59Z": "2024-12-31",
		"2024-12-31T23:00:00Z": "2025-01-01",
	} {
		at, err := time.Parse(time.RFC3339, instant)
		if err != nil {
			t.Fatal(err)
		}
		got := DanishDate(at)
		if got.Format(time.DateOnly) != want || got.Location() != time.UTC || !got.Equal(CalendarDate(got)) {
			t.Errorf("DanishDate(%s) = %v, want %s at midnight UTC", instant, got, want)
		}
	}
}
