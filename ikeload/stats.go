package ikeload

import (
	"fmt"
	"slices"
	"time"
)

// Latencies summarizes a set of durations.
type Latencies struct {
	N                int
	Median, P90, P99 time.Duration
	Min, Max         time.Duration
}

// summarize sorts d (in place) and takes nearest-rank percentiles.
func summarize(d []time.Duration) Latencies {
	if len(d) == 0 {
		return Latencies{}
	}
	slices.Sort(d)
	return Latencies{N: len(d), Median: rank(d, 50), P90: rank(d, 90), P99: rank(d, 99),
		Min: d[0], Max: d[len(d)-1]}
}

// rank is the nearest-rank p-th percentile of the sorted d: the smallest
// value with at least p percent of the values at or below it.
func rank(d []time.Duration, p int) time.Duration {
	i := (p*len(d) + 99) / 100
	return d[max(i, 1)-1]
}

func (l Latencies) String() string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/1e6) }
	return fmt.Sprintf("median %s ms, p90 %s ms, p99 %s ms (min %s, max %s, n %d)",
		ms(l.Median), ms(l.P90), ms(l.P99), ms(l.Min), ms(l.Max), l.N)
}
