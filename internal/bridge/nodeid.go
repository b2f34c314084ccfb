package bridge

// NodeID is the global id (GlobalID) of a value under the name of its GraphQL type. The API binds
// each type's id field to it (gqlgen.yml: fieldName NodeID), so that an id costs no resolver call
// per list element; graph's tests check that these names are the ones its decoders expect.

func (c Country) NodeID() string       { return GlobalID("Country", c.Code) }
func (r Region) NodeID() string        { return GlobalID("Region", r.ID) }
func (m Municipality) NodeID() string  { return GlobalID("Municipality", m.ID) }
func (t Theme) NodeID() string         { return GlobalID("Theme", t.ID) }
func (p Person) NodeID() string        { return GlobalID("Person", p.ID) }
func (o Organisation) NodeID() string  { return GlobalID("Organisation", o.ID) }
func (g ExpertGroup) NodeID() string   { return GlobalID("ExpertGroup", g.ID) }
func (e Event) NodeID() string         { return GlobalID("Event", e.ID) }
func (p Practice) NodeID() string      { return GlobalID("Practice", p.ID) }
func (i Introduction) NodeID() string  { return GlobalID("Introduction", i.ID) }
func (r RightsRequest) NodeID() string { return GlobalID("RightsRequest", r.ID) }
func (e AuditEvent) NodeID() string    { return GlobalID("AuditEvent", e.ID) }
