package vici

import (
	"sync/atomic"
	"testing"
)

// TestPopBatch takes queued frames in order, as many as fit in the batch
// bound but always at least one, and keeps the byte counts right.
func TestPopBatch(t *testing.T) {
	var total atomic.Int64
	q := newSendQueue(1<<20, &total)
	sizes := []int{10, 20, 40000, 30000, 5, 100000, 7}
	for i, n := range sizes {
		f := make([]byte, n)
		f[0] = byte(i)
		if !q.tryPush(f) {
			t.Fatalf("frame %d refused", i)
		}
	}
	want := [][]int{{0, 1, 2}, {3, 4}, {5}, {6}}
	for _, w := range want {
		batch, ok := q.popBatch(nil, 64<<10)
		if !ok || len(batch) != len(w) {
			t.Fatalf("batch of %d (ok %v), want frames %v", len(batch), ok, w)
		}
		for j, f := range batch {
			if int(f[0]) != w[j] || len(f) != sizes[w[j]] {
				t.Fatalf("batch %v: frame %d is #%d of %d bytes", w, j, f[0], len(f))
			}
		}
	}
	if q.size() != 0 || total.Load() != 0 {
		t.Fatalf("after draining: %d bytes queued, %d in total", q.size(), total.Load())
	}
	q.finish()
	if _, ok := q.popBatch(nil, 64<<10); ok {
		t.Fatal("a finished, empty queue gave a batch")
	}
}
