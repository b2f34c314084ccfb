package demo

import (
	"encoding/hex"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The random streams of a generator. Each value gets its own PCG stream keyed by (stream, index),
// so that person i depends only on the seed, i and the reference data, never on what was
// generated before it.
const (
	streamSetup = iota + 1
	streamPerson
	streamPersonID
	streamOrg
	streamOrgID
	streamIntro
	streamPlant
	streamPractice
	numStreams
)

// mix64 is the SplitMix64 finaliser: a bijection on uint64 that spreads neighbouring inputs
// (seed 1 and seed 2, person 7 and person 8) over unrelated PCG states.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// rng draws everything from the raw 64-bit output of PCG with integer arithmetic only. The PCG
// algorithm is fixed, but math/rand/v2 does not promise that IntN or Float64 map it to the same
// values in every Go release, and the compiler may fuse floating-point operations differently per
// architecture; integer draws keep the data identical on any machine and Go version.
type rng struct{ src rand.PCG }

// reset positions r at the start of the stream for one index.
func (r *rng) reset(stream uint64, index int) { r.src.Seed(stream, mix64(uint64(index))) }

// intn returns a number in [0, n) by Lemire's multiply-shift; the bias is below n/2⁶⁴.
func (r *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	hi, _ := bits.Mul64(r.src.Uint64(), uint64(n))
	return int(hi)
}

// permille is true with probability p/1000.
func (r *rng) permille(p int) bool { return r.intn(1000) < p }

// weighted returns an index into w with probability proportional to its weight.
func (r *rng) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	x := r.intn(total)
	for i, wi := range w {
		if x < wi {
			return i
		}
		x -= wi
	}
	return len(w) - 1
}

// cumulative returns an index with probability proportional to the step cum[i]-cum[i-1]; cum is
// non-decreasing and its last element is the total.
func (r *rng) cumulative(cum []uint64) int {
	if len(cum) == 0 {
		return 0
	}
	x, _ := bits.Mul64(r.src.Uint64(), cum[len(cum)-1])
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// pick returns one element of s.
func pick[T any](r *rng, s []T) T { return s[r.intn(len(s))] }

// uuid returns a random UUID in the version-4 layout (RFC 9562), drawn from r.
func (r *rng) uuid() string {
	var b [16]byte
	hi, lo := r.src.Uint64(), r.src.Uint64()
	for i := range 8 {
		b[i] = byte(hi >> (56 - 8*i))
		b[8+i] = byte(lo >> (56 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x40
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
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// date returns an ISO date from 1 January of fromYear to 31 December of toYear.
func (r *rng) date(fromYear, toYear int) string {
	start := time.Date(fromYear, time.January, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(toYear+1, time.January, 1, 0, 0, 0, 0, time.UTC)
	days := int(end.Sub(start) / (24 * time.Hour))
	return start.AddDate(0, 0, r.intn(days)).Format(time.DateOnly)
}

// dateAfter returns an ISO date at least minDays after the ISO date since and no later than the
// end of toYear, or "" when there is no room.
func (r *rng) dateAfter(since string, minDays, toYear int) string {
	start, err := time.Parse(time.DateOnly, since)
	if err != nil {
		return ""
	}
	start = start.AddDate(0, 0, minDays)
	end := time.Date(toYear+1, time.January, 1, 0, 0, 0, 0, time.UTC)
	if !start.Before(end) {
		return ""
	}
	days := int(end.Sub(start) / (24 * time.Hour))
	return start.AddDate(0, 0, r.intn(days)).Format(time.DateOnly)
}

// slug folds s to lower-case ASCII letters and digits joined by single hyphens, for e-mail
// addresses and host names ("Malmö stad" → "malmo-stad", "Þórunn" → "thorunn").
func slug(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	hyphen := false
	for _, c := range s {
		c = unicode.ToLower(c)
		var out string
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			out = string(c)
		default:
			out = foldRune(c)
		}
		if out == "" {
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteString(out)
	}
	return b.String()
}

// foldRune spells a Nordic, Slavic or other Latin letter in ASCII; it returns "" for anything
// else, which slug treats as a separator.
func foldRune(c rune) string {
	switch c {
	case 'å', 'ä', 'á', 'à', 'â', 'ã', 'ā', 'ą':
		return "a"
	case 'æ':
		return "ae"
	case 'ö', 'ø', 'ó', 'ò', 'ô', 'õ', 'ő':
		return "o"
	case 'ü', 'ú', 'ù', 'û', 'ű':
		return "u"
	case 'é', 'è', 'ê', 'ë', 'ę':
		return "e"
	case 'í', 'ì', 'î', 'ï':
		return "i"
	case 'ý', 'ÿ':
		return "y"
	case 'ð', 'đ', 'ď':
		return "d"
	case 'þ':
		return "th"
	case 'ß':
		return "ss"
	case 'č', 'ć', 'ç':
		return "c"
	case 'š', 'ś':
		return "s"
	case 'ž', 'ź', 'ż':
		return "z"
	case 'ł':
		return "l"
	case 'ń', 'ñ', 'ň':
		return "n"
	case 'ř':
		return "r"
	case 'ť':
		return "t"
	}
	return ""
}

// email returns the demo address of a person: unique because it ends in the person's index.
func email(given, family string, index int) string {
	g, f := slug(given), slug(family)
	if g == "" {
		g = "person"
	}
	if f == "" {
		f = "demo"
	}
	return g + "." + f + "." + strconv.Itoa(index) + "@example.org"
}

// lowerFirst lower-cases the first letter of a label used inside a sentence, unless the label
// starts with an acronym ("EU funding" stays as it is).
func lowerFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(c) {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(c)) + s[n:]
}

// expand fills the {placeholders} of a template; unknown ones are left as they are.
func expand(tpl string, vals *bioValues) string {
	var b strings.Builder
	b.Grow(len(tpl) + 64)
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		key := tpl[i+1 : i+j]
		switch key {
		case "title":
			b.WriteString(vals.title)
		case "city":
			b.WriteString(vals.city)
		case "country":
			b.WriteString(vals.country)
		case "offer":
			b.WriteString(vals.offer)
		case "seek":
			b.WriteString(vals.seek)
		default:
			b.WriteString(tpl[i : i+j+1])
		}
		tpl = tpl[i+j+1:]
	}
}

// bioValues are the values a bio template refers to.
type bioValues struct {
	title, city, country, offer, seek string
}
