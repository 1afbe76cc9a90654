package config

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// diamond writes sections aN and bN under x that both reference a(N-1)
// and b(N-1): every node is reachable through 2^N paths. through makes the
// references go through a sub-section ("x.a0.t"), so that resolving them
// needs the views of the referenced sections themselves.
func diamond(levels int, through bool) string {
	var b strings.Builder
	b.WriteString("x {\n a0 { k0 = a\n t { ta = 1 } }\n b0 { k0 = b\n kb = 1\n t { tb = 1 } }\n")
	sub := ""
	if through {
		sub = ".t"
	}
	for i := 1; i <= levels; i++ {
		for _, n := range []string{"a", "b"} {
			fmt.Fprintf(&b, " %s%d : x.a%d%s, x.b%d%s { k%d = %s\n t { } }\n",
				n, i, i-1, sub, i-1, sub, i, n)
		}
	}
	fmt.Fprintf(&b, "}\ntop : x.a%d, x.b%d { own = 1 }\n", levels, levels)
	return b.String()
}

// countVisits runs f and returns how many nodes its views expanded.
func countVisits(t *testing.T, f func()) int {
	t.Helper()
	n := 0
	countVisit = func() { n++ }
	defer func() { countVisit = nil }()
	f()
	return n
}

// TestDiamondReferences checks that each referenced section is expanded
// once per view: a diamond of 40 levels has 2^40 paths to its bottom.
func TestDiamondReferences(t *testing.T) {
	const levels = 40
	s, _, err := Parse("d.conf", []byte(diamond(levels, false)))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	visits := countVisits(t, func() { keys = s.Path("top").Keys() })
	// own key, then k40 from a40, then down the a chain; kb only from b0
	want := []string{"own"}
	for i := levels; i >= 0; i-- {
		want = append(want, fmt.Sprintf("k%d", i))
	}
	want = append(want, "kb")
	if !slices.Equal(keys, want) {
		t.Errorf("keys %q, want %q", keys, want)
	}
	if v, _ := s.Get("top.k0"); v != "a" {
		t.Errorf("top.k0 = %q, want a (first occurrence wins)", v)
	}
	// top, x, and each aN and bN once (x once per resolved reference)
	if limit := 2 + 2*(levels+1) + 2*(2*levels+2); visits > limit {
		t.Errorf("%d nodes expanded, want at most %d", visits, limit)
	}
}

// TestDiamondThroughSubsections is the same diamond with references to
// sub-sections, whose parents' views are built once per lookup.
func TestDiamondThroughSubsections(t *testing.T) {
	const levels = 40
	s, _, err := Parse("d.conf", []byte(diamond(levels, true)))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	if keys = s.Path("x.a1").Keys(); !slices.Equal(keys, []string{"k1", "ta", "tb"}) {
		t.Errorf("x.a1 keys %q, want k1 ta tb", keys)
	}
	// x.b40 inherits the empty t of a39 and b39; finding them needs the
	// views of x.a39 and x.b39, which need those of level 38, ...
	path := fmt.Sprintf("x.b%d", levels)
	visits := countVisits(t, func() { keys = s.Path(path).Keys() })
	if want := []string{fmt.Sprintf("k%d", levels)}; !slices.Equal(keys, want) {
		t.Errorf("%s keys %q, want %q", path, keys, want)
	}
	// each section of x is expanded in a bounded number of views
	if limit := 20 * (2*levels + 4); visits > limit {
		t.Errorf("%d nodes expanded, want at most %d", visits, limit)
	}
}
