package graph

import (
	"context"
	"time"

	"github.com/nordic-integration/bridge/graph/model"
	"github.com/nordic-integration/bridge/internal/bridge"
)

// The GraphQL type names of the register and the audit log, used in global ids.
const (
	typeRightsRequest = "RightsRequest"
	typeAuditEvent    = "AuditEvent"
)

// parseTime reads an ISO 8601 (RFC 3339) date and time argument.
func parseTime(path []string, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, bridge.InvalidInput(path, "an ISO 8601 date and time such as 2026-03-31T09:00:00Z")
	}
	return t.UTC(), nil
}

func rightsRequestInput(in model.RecordRightsRequestInput) (bridge.RightsRequestInput, error) {
	out := bridge.RightsRequestInput{Kind: in.Kind, Channel: in.Channel, Note: optional(in.Note)}
	var err error
	if out.PersonID, err = decodeID([]string{"input", "personId"}, in.PersonID, typePerson); err != nil {
		return out, err
	}
	out.ReceivedAt, err = parseTime([]string{"input", "receivedAt"}, in.ReceivedAt)
	return out, err
}

func rightsFilter(f *model.RightsRequestFilter) bridge.RightsFilter {
	if f == nil {
		return bridge.RightsFilter{}
	}
	return bridge.RightsFilter{Statuses: f.Status, Kinds: f.Kind, DueWithinDays: f.DueWithinDays, Overdue: f.Overdue}
}

// optionalRightsRequestID decodes the optional rightsRequestId argument of exportPersonData and
// erasePerson ("" when absent).
func optionalRightsRequestID(id *string) (string, error) {
	if id == nil {
		return "", nil
	}
	return decodeID([]string{"rightsRequestId"}, *id, typeRightsRequest)
}

func rightsResult(r bridge.RightsRequest, err error) (*bridge.RightsRequest, error) {
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func rightsConnection(ctx context.Context, r *Resolver, page bridge.RightsPage) *model.RightsRequestConnection {
	out := &model.RightsRequestConnection{TotalCount: page.Total, Edges: []model.RightsRequestEdge{},
		PageInfo: &model.PageInfo{HasNextPage: page.HasNext}}
	l := loadersFrom(ctx, r)
	for k := range page.Items {
		item := &page.Items[k]
		cursor := bridge.RightsCursor(*item)
		out.Edges = append(out.Edges, model.RightsRequestEdge{Cursor: cursor, Node: item})
		out.PageInfo.EndCursor = &cursor
		if item.PersonID != "" {
			l.people.prime(item.PersonID)
		}
	}
	return out
}

func auditFilter(f *model.AuditEventFilter) (bridge.AuditFilter, error) {
	var out bridge.AuditFilter
	if f == nil {
		return out, nil
	}
	var err error
	if f.PersonID != nil {
		if out.PersonID, err = decodeID([]string{"filter", "personId"}, *f.PersonID, typePerson); err != nil {
			return out, err
		}
	}
	if f.ActorID != nil {
		if out.ActorID, err = decodeID([]string{"filter", "actorId"}, *f.ActorID, typePerson); err != nil {
			return out, err
		}
	}
	out.Action = optional(f.Action)
	if f.Since != nil {
		if out.Since, err = parseTime([]string{"filter", "since"}, *f.Since); err != nil {
			return out, err
		}
	}
	if f.Until != nil {
		if out.Until, err = parseTime([]string{"filter", "until"}, *f.Until); err != nil {
			return out, err
		}
	}
	return out, nil
}

func auditConnection(page bridge.AuditPage) *model.AuditEventConnection {
	out := &model.AuditEventConnection{TotalCount: page.Total, Edges: []model.AuditEventEdge{},
		PageInfo: &model.PageInfo{HasNextPage: page.HasNext}}
	for k := range page.Items {
		e := &page.Items[k]
		cursor := bridge.AuditCursor(*e)
		out.Edges = append(out.Edges, model.AuditEventEdge{Cursor: cursor, Node: e})
		out.PageInfo.EndCursor = &cursor
	}
	return out
}

// auditTargetTypes are the actions whose target is not a person: the secretariat's edits of
// organisations and of the programme. Every other action is about a person.
var auditTargetTypes = map[string]string{
	"CREATE_ORGANISATION": typeOrganisation, "UPDATE_ORGANISATION": typeOrganisation, "MERGE_ORGANISATIONS": typeOrganisation,
	"SAVE_THEME": typeTheme, "SAVE_EXPERT_GROUP": typeExpertGroup, "SAVE_EVENT": typeEvent, "SAVE_PRACTICE": typePractice,
}

// auditTargetID is the global id of an event's target ("" when it has none).
func auditTargetID(e *bridge.AuditEvent) string {
	if e.TargetID == "" {
		return ""
	}
	typ, ok := auditTargetTypes[e.Action]
	if !ok {
		typ = typePerson
	}
	return bridge.GlobalID(typ, e.TargetID)
}
