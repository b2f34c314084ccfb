package csvio

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"golang.org/x/term"
)

// IsTerminal reports whether w is a terminal. Progress is drawn only there: in CI, in a pipe or
// in a log file a redrawn line is noise.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Progress draws one self-overwriting status line per phase of a long job ("validating",
// "writing"): rows done of the total, rows per second and the time left. A disabled Progress
// draws nothing, so callers need not check. It redraws at most every interval, so that a fast
// loop costs nothing but a clock read.
type Progress struct {
	w        io.Writer
	enabled  bool
	now      func() time.Time
	interval time.Duration

	phase     string
	note      string
	total     int
	done      int
	start     time.Time
	lastDrawn time.Time
	drawn     bool
}

// NewProgress returns a Progress that draws on w when enabled. now is the clock (time.Now; tests
// pass a fake one).
func NewProgress(w io.Writer, enabled bool, now func() time.Time) *Progress {
	return &Progress{w: w, enabled: enabled, now: now, interval: 200 * time.Millisecond}
}

// Start begins a phase of total rows.
func (p *Progress) Start(phase string, total int) {
	p.end()
	p.phase, p.total, p.done, p.note = phase, total, 0, ""
	p.start = p.now()
	p.lastDrawn = time.Time{}
}

// Set records that done rows of the phase are finished and redraws when the interval has passed.
func (p *Progress) Set(done int) {
	p.done = done
	if !p.enabled {
		return
	}
	if t := p.now(); t.Sub(p.lastDrawn) >= p.interval || done >= p.total {
		p.lastDrawn = t
		p.draw(t)
	}
}

// Note adds a word on what the phase is doing now that the rows are done ("committing"), and
// redraws.
func (p *Progress) Note(s string) {
	p.note = s
	if p.enabled {
		p.lastDrawn = p.now()
		p.draw(p.lastDrawn)
	}
}

// Finish ends the current phase, leaving its last line on screen.
func (p *Progress) Finish() { p.end() }

func (p *Progress) end() {
	p.note = ""
	if p.enabled && p.drawn {
		p.draw(p.now())
		fmt.Fprintln(p.w)
	}
	p.drawn = false
}

// line is the status line for the rows done at time t, apart from draw so that tests can read it.
func (p *Progress) line(t time.Time) string {
	elapsed := t.Sub(p.start)
	s := fmt.Sprintf("%s: %s/%s rows", p.phase, thousands(p.done), thousands(p.total))
	if p.total > 0 {
		s += fmt.Sprintf(" (%d%%)", p.done*100/p.total)
	}
	if elapsed >= 100*time.Millisecond && p.done > 0 {
		rate := float64(p.done) / elapsed.Seconds()
		s += fmt.Sprintf(", %s rows/s", thousands(int(rate)))
		if left := p.total - p.done; left > 0 {
			s += ", about " + (time.Duration(math.Ceil(float64(left)/rate)) * time.Second).String() + " left"
		}
	}
	if p.note != "" {
		s += ", " + p.note
	}
	return s
}

func (p *Progress) draw(t time.Time) {
	// \r returns to the start of the line and \x1b[K clears what a longer earlier line left.
	fmt.Fprint(p.w, "\r\x1b[K"+p.line(t))
	p.drawn = true
}

// thousands writes n with a comma every three digits (12,345), as the messages do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Thousands formats a count for the command's messages (12,345).
func Thousands(n int) string { return thousands(n) }
