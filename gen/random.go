package gen

import (
	"encoding/hex"
	"math"
)

// rng is a SplitMix64 generator: small, fast and fully determined by its
// state, so a generator can be derived from any key without allocating.
type rng struct{ s uint64 }

const golden = 0x9e3779b97f4a7c15

func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// keyed returns a generator determined by the seed and the key parts.
func keyed(seed int64, parts ...uint64) rng {
	s := mix(uint64(seed) + golden)
	for _, p := range parts {
		s = mix(s ^ (p + golden))
	}
	return rng{s}
}

func (r *rng) next() uint64 {
	r.s += golden
	return mix(r.s)
}

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a number in [lo, hi]; hi must not be below lo.
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance returns true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// normal returns a normally distributed number.
func (r *rng) normal(mean, sd float64) float64 {
	u := 1 - r.float()
	return mean + sd*math.Sqrt(-2*math.Log(u))*math.Cos(2*math.Pi*r.float())
}

// exp returns an exponentially distributed number with the given mean.
func (r *rng) exp(mean float64) float64 { return -mean * math.Log(1-r.float()) }

// dayIn returns a day in [lo, hi); hi must be after lo.
func (r *rng) dayIn(lo, hi day) day { return lo + day(r.intn(int(hi-lo))) }

// pick returns an index chosen with the given cumulative weights.
func (r *rng) pick(cum []float64) int {
	x := r.float() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// cumulative returns the running sums of w.
func cumulative(w []float64) []float64 {
	c := make([]float64, len(w))
	sum := 0.0
	for i, x := range w {
		sum += x
		c[i] = sum
	}
	return c
}

// oneOf returns a random element of list.
func oneOf[T any](r *rng, list []T) T { return list[r.intn(len(list))] }

// uuid returns a version-5-style UUID determined by the seed and key parts.
func uuid(seed int64, parts ...uint64) [36]byte {
	r := keyed(seed, parts...)
	var b [16]byte
	a, c := r.next(), r.next()
	for i := range 8 {
		b[i] = byte(a >> (8 * i))
		b[8+i] = byte(c >> (8 * i))
	}
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return s
}

// recordID returns a 32-character id for the seq'th record of a table for
// the person with ordinal ord: a keyed hash followed by ord and seq, so ids
// look opaque and are unique within a table.
func recordID(seed int64, table tableID, ord int32, seq int) [32]byte {
	r := keyed(seed, uint64(table), uint64(ord), uint64(seq))
	var b [16]byte
	h := r.next()
	for i := range 8 {
		b[i] = byte(h >> (8 * i))
	}
	for i := range 4 {
		b[8+i] = byte(uint32(ord) >> (24 - 8*i))
		b[12+i] = byte(uint32(seq) >> (24 - 8*i))
	}
	var s [32]byte
	hex.Encode(s[:], b[:])
	return s
}
