// Package bridge is the domain of Bridge, the expert network of Nordic co-operation on the
// integration of refugees and immigrants: the types (countries, and later people, themes and
// introductions), their validation, the coded errors every layer speaks, and the service
// interfaces the adapters implement. It imports nothing but the standard library, so that the
// rules stay testable without a database or a transport.
package bridge
