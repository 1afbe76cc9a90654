package main

import (
	"strings"
	"testing"
)

func rowFor(t *testing.T, what string) row {
	t.Helper()
	for _, rw := range rows {
		if rw.what == what {
			return rw
		}
	}
	t.Fatalf("no row %q", what)
	return row{}
}

func TestVerdict(t *testing.T) {
	load := rowFor(t, "--load-all 10,000 conns + 100 pools, cold")
	version := rowFor(t, "version round trips/s, 16 sessions")
	memory := rowFor(t, "resident memory, 10,000 conns loaded")
	idle := rowFor(t, "resident memory, idle")
	cases := []struct {
		rw             row
		ratio, refused float64
		want           string
	}{
		{load, 0.09, 0, "≤ 0.2: met"},
		{load, 0.2, 0, "≤ 0.2: met"},
		{load, 0.21, 0, "≤ 0.2: missed"},
		{version, 3.5, 0, "≥ 2, none refused: met"},
		{version, 1.9, 0, "≥ 2, none refused: missed"},
		{version, 3.5, 1, "≥ 2, none refused: missed"},
		{memory, 1.01, 0, "≤ 1: missed"},
		{idle, 1.15, 0, ""},
	}
	for _, c := range cases {
		if got := c.rw.verdict(c.ratio, c.refused); got != c.want {
			t.Errorf("%s at %.2f, %v refused: %q, want %q", strings.TrimSpace(c.rw.what),
				c.ratio, c.refused, got, c.want)
		}
	}
}

// TestPrintJudges checks that the table carries the verdicts.
func TestPrintJudges(t *testing.T) {
	r := &results{samples: map[string]map[string][]float64{}}
	add := func(key, daemon string, v ...float64) {
		if r.samples[key] == nil {
			r.samples[key] = map[string][]float64{}
		}
		r.samples[key][daemon] = v
	}
	add("load-10k cold", "charond", 0.5)
	add("load-10k cold", "strongSwan", 5)
	add("load-10k again", "charond", 1.5)
	add("load-10k again", "strongSwan", 5)
	var b strings.Builder
	r.print(&b, config{rounds: 1})
	out := b.String()
	for _, want := range []string{"| 0.10 | ≤ 0.2: met |", "| 0.30 | ≤ 0.2: missed |"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}
