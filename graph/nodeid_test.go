package graph

import (
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestNodeIDsDecodeAsTheirType: the id the API answers for each type (bridge's NodeID methods,
// bound in gqlgen.yml) is the one graph's decoders take for that type, so that an id read from
// one answer works as an argument.
func TestNodeIDsDecodeAsTheirType(t *testing.T) {
	cases := []struct {
		id, typeName string
	}{
		{bridge.Country{Code: "SE"}.NodeID(), typeCountry},
		{bridge.Region{ID: "k"}.NodeID(), typeRegion},
		{bridge.Municipality{ID: "k"}.NodeID(), typeMunicipality},
		{bridge.Theme{ID: "k"}.NodeID(), typeTheme},
		{bridge.Person{ID: "k"}.NodeID(), typePerson},
		{bridge.Organisation{ID: "k"}.NodeID(), typeOrganisation},
		{bridge.ExpertGroup{ID: "k"}.NodeID(), typeExpertGroup},
		{bridge.Event{ID: "k"}.NodeID(), typeEvent},
		{bridge.Practice{ID: "k"}.NodeID(), typePractice},
		{bridge.Introduction{ID: "k"}.NodeID(), typeIntroduction},
		{bridge.RightsRequest{ID: "k"}.NodeID(), typeRightsRequest},
		{bridge.AuditEvent{ID: "k"}.NodeID(), typeAuditEvent},
	}
	schema := testSchema()
	for _, c := range cases {
		key, err := decodeID([]string{"id"}, c.id, c.typeName)
		if err != nil || (key != "k" && key != "SE") {
			t.Errorf("%s: %q decodes to %q, %v", c.typeName, c.id, key, err)
		}
		if schema.Types[c.typeName] == nil {
			t.Errorf("%s is not a type of the schema", c.typeName)
		}
	}
}
