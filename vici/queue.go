package vici

import (
	"sync"
	"sync/atomic"
)

// sendQueue holds the frames waiting to be written to one client, bounded in
// bytes. A frame larger than the bound is still taken when the queue is
// empty, so a big reply can always go out.
type sendQueue struct {
	max   int
	total *atomic.Int64 // bytes queued for all clients of the server

	mu       sync.Mutex // guards the fields below
	cond     *sync.Cond
	frames   [][]byte
	bytes    int
	finished bool // no more frames will come; drain what is queued
	aborted  bool // the client is gone; drop everything
}

func newSendQueue(max int, total *atomic.Int64) *sendQueue {
	q := &sendQueue{max: max, total: total}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *sendQueue) fits(n int) bool { return q.bytes == 0 || q.bytes+n <= q.max }

// push queues a frame, waiting for space. It fails once the queue is closed.
func (q *sendQueue) push(frame []byte) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for !q.finished && !q.aborted && !q.fits(len(frame)) {
		q.cond.Wait()
	}
	if q.finished || q.aborted {
		return false
	}
	q.frames = append(q.frames, frame)
	q.bytes += len(frame)
	q.total.Add(int64(len(frame)))
	q.cond.Broadcast()
	return true
}

// tryPush queues a frame only if there is space now.
func (q *sendQueue) tryPush(frame []byte) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.finished || q.aborted || !q.fits(len(frame)) {
		return false
	}
	q.frames = append(q.frames, frame)
	q.bytes += len(frame)
	q.total.Add(int64(len(frame)))
	q.cond.Broadcast()
	return true
}

// popBatch moves the frames queued now, at least one and then as many as fit
// in max bytes, to batch, waiting for the first. It returns false when the
// queue is finished and empty, or aborted.
func (q *sendQueue) popBatch(batch [][]byte, max int) ([][]byte, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.frames) == 0 && !q.finished && !q.aborted {
		q.cond.Wait()
	}
	if q.aborted || len(q.frames) == 0 {
		return batch, false
	}
	n, size := 0, 0
	for n < len(q.frames) && (n == 0 || size+len(q.frames[n]) <= max) {
		size += len(q.frames[n])
		batch = append(batch, q.frames[n])
		q.frames[n] = nil
		n++
	}
	q.frames = q.frames[n:]
	q.bytes -= size
	q.total.Add(-int64(size))
	q.cond.Broadcast()
	return batch, true
}

// size returns the bytes queued.
func (q *sendQueue) size() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.bytes
}

// finish lets the writer drain what is queued and then stop.
func (q *sendQueue) finish() {
	q.mu.Lock()
	q.finished = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

// abort drops everything queued and wakes every waiter.
func (q *sendQueue) abort() {
	q.mu.Lock()
	q.aborted = true
	q.frames = nil
	q.total.Add(-int64(q.bytes))
	q.bytes = 0
	q.cond.Broadcast()
	q.mu.Unlock()
}
