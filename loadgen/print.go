package loadgen

import (
	"fmt"
	"io"
)

// Print writes the report for an operator, one figure a line.
func Print(w io.Writer, r *Report) {
	verdict := "OK"
	if !r.OK() {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "result:          %s\n", verdict)
	fmt.Fprintf(w, "clients:         %d\n", r.Clients)
	fmt.Fprintf(w, "duration:        %.1fs\n", r.Duration.Seconds())
	fmt.Fprintf(w, "requests:        %d (%.0f/s)\n", r.Requests, r.RequestsPerSec)
	fmt.Fprintf(w, "errors:          %d (connect errors %d)\n", r.Errors, r.ConnectErrors)
	fmt.Fprintf(w, "garbage frames:  %d (connections not closed: %d)\n", r.Garbage, r.GarbageKept)
	fmt.Fprintf(w, "state at end:    %d pools, %d connections; lost %d pools, %d connections; "+
		"extra %d pools, %d connections\n", r.FinalPools, r.FinalConns, r.LostPools,
		r.LostConns, r.ExtraPools, r.ExtraConns)
	fmt.Fprintf(w, "daemon before:   %v\n", r.Before)
	fmt.Fprintf(w, "daemon after:    %v\n", r.After)
	for _, e := range r.FirstErrors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
}
