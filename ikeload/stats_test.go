package ikeload

import (
	"testing"
	"time"
)

func TestSummarizeNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- { // 100 ms .. 1 ms, unsorted
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	l := summarize(d)
	want := Latencies{N: 100, Median: 50 * time.Millisecond, P90: 90 * time.Millisecond,
		P99: 99 * time.Millisecond, Min: time.Millisecond, Max: 100 * time.Millisecond}
	if l != want {
		t.Errorf("summarize = %+v, want %+v", l, want)
	}
	if l := summarize([]time.Duration{3, 1, 2}); l.Median != 2 || l.P99 != 3 || l.P90 != 3 {
		t.Errorf("three values: %+v", l)
	}
	if l := summarize(nil); l.N != 0 {
		t.Errorf("no values: %+v", l)
	}
}
