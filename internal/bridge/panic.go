package bridge

import (
	"runtime"
	"strings"
)

// PanicSite names the function that panicked, for the log line of a recovered panic. Called while
// a panic is being recovered (in the deferred function, however deep), it finds runtime.gopanic
// on the stack and returns the first frame after it that is not the runtime's (a nil map write or
// an index out of range panics inside the runtime). Logs carry this and the panic value's type,
// never the value (it can quote personal data) or the stack.
func PanicSite() string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	inPanic := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			inPanic = true
		case inPanic && !strings.HasPrefix(f.Function, "runtime."):
			return f.Function
		}
		if !more {
			return "unknown"
		}
	}
}
