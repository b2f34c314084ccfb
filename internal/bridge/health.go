package bridge

import "context"

// Pinger is implemented by every dependency that readiness depends on.
type Pinger interface {
	// Ping returns nil when the dependency answers a trivial request within ctx's deadline.
	Ping(ctx context.Context) error
}
