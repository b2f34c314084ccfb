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

// Cursor encodes the key of the last item of a page as an opaque cursor. Pages are keyset reads
// ordered by key, so a cursor stays valid when items are added before or after it.
func Cursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("k:" + key))
}

// ParseCursor returns the key inside a cursor; path names the argument in errors.
func ParseCursor(path []string, cursor string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	key, ok := strings.CutPrefix(string(raw), "k:")
	if err != nil || !ok || key == "" {
		return "", InvalidInput(path, "not a valid cursor")
	}
	return key, nil
}
