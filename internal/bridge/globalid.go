package bridge

import (
	"encoding/base64"
	"strings"
)

// GlobalID is the Relay global object id: the type name and the object's own key, encoded so that
// clients treat it as opaque. It never carries Neo4j's internal element ids.
func GlobalID(typeName, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typeName + ":" + key))
}

// ParseGlobalID splits a global id into type name and key; it fails with BAD_USER_INPUT at the
// given path for anything that is not one.
func ParseGlobalID(path []string, id string) (typeName, key string, err error) {
	raw, decErr := base64.RawURLEncoding.DecodeString(id)
	if decErr != nil {
		return "", "", InvalidInput(path, "not a valid id")
	}
	typeName, key, ok := strings.Cut(string(raw), ":")
	if !ok || typeName == "" || key == "" {
		return "", "", InvalidInput(path, "not a valid id")
	}
	return typeName, key, nil
}
