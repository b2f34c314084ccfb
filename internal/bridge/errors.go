package bridge

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for clients. The GraphQL error presenter copies it into
// extensions.code; anything without a code is INTERNAL and is never shown verbatim.
type Code string

// The error codes of the API contract (product.md). Keep the list short: clients branch on them.
const (
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeNotFound        Code = "NOT_FOUND"
	CodeBadUserInput    Code = "BAD_USER_INPUT"
	CodeConflict        Code = "CONFLICT"
	CodeUnavailable     Code = "UNAVAILABLE"
	CodeInternal        Code = "INTERNAL"
	// CodeNotPossible: an introduction cannot happen now. Deliberately one answer for "not open",
	// "no consent", "at capacity" and "paused", so that a requester learns nothing more.
	CodeNotPossible Code = "NOT_POSSIBLE"
	// CodeRateLimited: too many requests of a kind (introduction requests per week).
	CodeRateLimited Code = "RATE_LIMITED"
)

// Error is the one error type of the domain. Message is written for the end user and must not
// carry internals (queries, stack traces, tokens, personal data); Field names the input path for
// BAD_USER_INPUT; Err keeps the cause for logs and errors.Is, and is never shown to clients.
type Error struct {
	Code    Code
	Message string
	Field   []string
	// Status is the current state of what the request tried to change, for a CONFLICT on a
	// workflow (an introduction's status as the caller may see it); the presenter sends it.
	Status string
	Err    error
}

// Error returns the safe message and, for logs, the cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a code and a user-facing message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Unavailable wraps a failure to reach a dependency (the database, the identity provider) so that
// clients learn to retry later and logs keep the cause.
func Unavailable(cause error) *Error {
	return &Error{Code: CodeUnavailable, Message: "the service is temporarily unavailable; try again shortly", Err: cause}
}

// InvalidInput reports a validation failure at an input path such as ["code"] or
// ["input", "themes", "2", "mode"].
func InvalidInput(path []string, format string, args ...any) *Error {
	return &Error{Code: CodeBadUserInput, Message: fmt.Sprintf(format, args...), Field: path}
}

// ErrorCode returns the code of the first *Error in err's chain, or INTERNAL when there is none
// (and "" for a nil error).
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// InvalidField returns the input path of a BAD_USER_INPUT error joined with dots ("input.title"),
// or "" for any other error: where a form shows the message.
func InvalidField(err error) string {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBadUserInput {
		return ""
	}
	return strings.Join(e.Field, ".")
}
