// Package relay holds the Go side of the Relay conventions of the API: the Node interface that
// gqlgen binds the GraphQL `Node` to. It is an empty interface on purpose: domain types stay free
// of GraphQL marker methods, and the generated code resolves a Node by its concrete type.
package relay

// Node is any object that the API exposes behind the GraphQL Node interface.
type Node interface{}
