package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// results holds every sample by workload and daemon.
type results struct {
	samples map[string]map[string][]float64
}

func newResults() *results { return &results{samples: map[string]map[string][]float64{}} }

func (r *results) add(key, daemon string, v float64) {
	if r.samples[key] == nil {
		r.samples[key] = map[string][]float64{}
	}
	r.samples[key][daemon] = append(r.samples[key][daemon], v)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// row is one line of the table: a workload, which key holds charond's
// figure and which strongSwan's, and the unit.
type row struct {
	what        string
	ours, ref   string
	unit        string
	target      string  // as printed
	atMost      float64 // the ratio's bound if the target is "≤"
	atLeast     float64 // the ratio's bound if the target is "≥"
	highIsGood  bool
	withRefused bool // charond must refuse no connection
}

// verdict says whether a ratio meets the row's target, "" if it has none.
func (rw row) verdict(ratio, refused float64) string {
	switch {
	case rw.target == "":
		return ""
	case rw.atMost > 0 && ratio > rw.atMost, rw.atLeast > 0 && ratio < rw.atLeast,
		rw.withRefused && refused > 0:
		return rw.target + ": missed"
	}
	return rw.target + ": met"
}

var rows = []row{
	{what: "--load-all 1,000 conns + 100 pools, cold",
		ours: "load-1k cold", ref: "load-1k cold", unit: "s"},
	{what: "--load-all 1,000, again (same file)",
		ours: "load-1k again", ref: "load-1k again", unit: "s"},
	{what: "--load-all 10,000 conns + 100 pools, cold",
		ours: "load-10k cold", ref: "load-10k cold", unit: "s", target: "≤ 0.2", atMost: 0.2},
	{what: "--load-all 10,000, again (same file)",
		ours: "load-10k again", ref: "load-10k again", unit: "s", target: "≤ 0.2", atMost: 0.2},
	{what: "  Debian's swanctl into charond: 1,000 cold",
		ours: "load-1k-deb cold", ref: "load-1k cold", unit: "s"},
	{what: "  Debian's swanctl into charond: 1,000 again",
		ours: "load-1k-deb again", ref: "load-1k again", unit: "s"},
	{what: "  Debian's swanctl into charond: 10,000 cold",
		ours: "load-10k-deb cold", ref: "load-10k cold", unit: "s"},
	{what: "  Debian's swanctl into charond: 10,000 again",
		ours: "load-10k-deb again", ref: "load-10k again", unit: "s"},
	{what: "--list-conns of 10,000",
		ours: "list-10k", ref: "list-10k", unit: "s", target: "≤ 0.5", atMost: 0.5},
	{what: "  Debian's swanctl from charond", ours: "list-10k-deb", ref: "list-10k", unit: "s"},
	{what: "1,000 get-pools, one govici session", ours: "pools", ref: "pools", unit: "s"},
	{what: "1,000 get-pools leases=yes, one session",
		ours: "pools-leases", ref: "pools-leases", unit: "s"},
	{what: "version round trips/s, 1 session",
		ours: "version-1", ref: "version-1", unit: "/s", highIsGood: true},
	{what: "version round trips/s, 16 sessions",
		ours: "version-16", ref: "version-16", unit: "/s", highIsGood: true,
		target: "≥ 2, none refused", atLeast: 2, withRefused: true},
	{what: "resident memory, idle", ours: "rss-idle", ref: "rss-idle", unit: "MiB"},
	{what: "resident memory, 10,000 conns loaded",
		ours: "rss-10k", ref: "rss-10k", unit: "MiB", target: "≤ 1", atMost: 1},
}

func format(v float64, unit string) string {
	switch unit {
	case "s":
		if v < 1 {
			return fmt.Sprintf("%.0f ms", v*1000)
		}
		return fmt.Sprintf("%.2f s", v)
	case "MiB":
		return fmt.Sprintf("%.1f MiB", v/(1<<20))
	case "/s":
		return fmt.Sprintf("%.0f/s", v)
	}
	return fmt.Sprint(v)
}

// print writes the markdown table of medians and ratios.
func (r *results) print(w io.Writer, c config) {
	rounds := "rounds"
	if c.rounds == 1 {
		rounds = "round"
	}
	fmt.Fprintf(w, "\nmedians of %d %s; ratio = charond / strongSwan\n\n", c.rounds, rounds)
	fmt.Fprintln(w, "| workload | charond | strongSwan 5.9.8 | ratio | target |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | --- |")
	for _, rw := range rows {
		ours := median(r.samples[rw.ours]["charond"])
		ref := median(r.samples[rw.ref]["strongSwan"])
		o, s := format(ours, rw.unit), format(ref, rw.unit)
		refused := sum(r.samples[rw.ours+"-refused"]["charond"])
		if rw.withRefused {
			o += fmt.Sprintf(" (%.0f refused)", refused)
			s += fmt.Sprintf(" (%.0f refused)", sum(r.samples[rw.ref+"-refused"]["strongSwan"]))
		}
		ratio, verdict := "–", rw.target
		if ref != 0 {
			ratio = fmt.Sprintf("%.2f", ours/ref)
			// judged on the ratio as printed, so the table agrees with itself
			rounded, _ := strconv.ParseFloat(ratio, 64)
			verdict = rw.verdict(rounded, refused)
		}
		what := strings.Replace(rw.what, "  ", "↳ ", 1)
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", what, o, s, ratio, verdict)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "refusals are summed over all rounds; "+
		"times are wall clock of the whole command or batch")
	fmt.Fprint(w, "\nspread over the rounds (min – max)\n\n")
	fmt.Fprintln(w, "| workload | charond | strongSwan 5.9.8 |")
	fmt.Fprintln(w, "| --- | ---: | ---: |")
	for _, rw := range rows {
		what := strings.Replace(rw.what, "  ", "↳ ", 1)
		fmt.Fprintf(w, "| %s | %s | %s |\n", what, spread(r.samples[rw.ours]["charond"], rw.unit),
			spread(r.samples[rw.ref]["strongSwan"], rw.unit))
	}
}

func spread(v []float64, unit string) string {
	if len(v) == 0 {
		return "–"
	}
	return format(slices.Min(v), unit) + " – " + format(slices.Max(v), unit)
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}
