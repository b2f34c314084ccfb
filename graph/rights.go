package graph

import (
	"context"
	"slices"

	"github.com/nordic-integration/bridge/graph/model"
	"github.com/nordic-integration/bridge/graph/relay"
	"github.com/nordic-integration/bridge/internal/bridge"
)

// The GraphQL type names of the register and the audit log, used in global ids.
const (
	typeRightsRequest = "RightsRequest"
	typeAuditEvent    = "AuditEvent"
)

func rightsRequestInput(in model.RecordRightsRequestInput) (bridge.RightsRequestInput, error) {
	out := bridge.RightsRequestInput{Kind: in.Kind, Channel: in.Channel, Note: optional(in.Note)}
	var err error
	if out.PersonID, err = decodeID([]string{"input", "personId"}, in.PersonID, typePerson); err != nil {
		return out, err
	}
	out.ReceivedAt = in.ReceivedAt
	return out, nil
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

func rightsConnection(ctx context.Context, r *Resolver, page bridge.RightsPage, after *string) *model.RightsRequestConnection {
	out := &model.RightsRequestConnection{TotalCount: page.Total, Edges: []model.RightsRequestEdge{},
		PageInfo: pageInfo(page.HasNext, after)}
	l := loadersFrom(ctx, r)
	for k := range page.Items {
		item := &page.Items[k]
		cursor := bridge.RightsCursor(*item)
		out.Edges = append(out.Edges, model.RightsRequestEdge{Cursor: cursor, Node: item})
		addCursor(out.PageInfo, cursor)
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
	if f.Action != nil {
		out.Action = *f.Action
	}
	if f.Since != nil {
		out.Since = *f.Since
	}
	if f.Until != nil {
		out.Until = *f.Until
	}
	return out, nil
}

func auditConnection(page bridge.AuditPage, after *string) *model.AuditEventConnection {
	out := &model.AuditEventConnection{TotalCount: page.Total, Edges: []model.AuditEventEdge{},
		PageInfo: pageInfo(page.HasNext, after)}
	for k := range page.Items {
		e := &page.Items[k]
		cursor := bridge.AuditCursor(*e)
		out.Edges = append(out.Edges, model.AuditEventEdge{Cursor: cursor, Node: e})
		addCursor(out.PageInfo, cursor)
	}
	return out
}

// auditTargetID is the global id of an event's target ("" when it has none).
func auditTargetID(e *bridge.AuditEvent) string {
	if e.TargetID == "" {
		return ""
	}
	typ, ok := bridge.NotPersonTargets[e.Action]
	if !ok {
		typ = typePerson
	}
	return bridge.GlobalID(typ, e.TargetID)
}

// restrictedNode is node(id:) for the register and the log: a viewer whom QueryPolicy does not
// let read them gets null, as for an id that does not exist, so node(id:) tells them nothing. A
// read of an audit event is audited like any read of the log.
func (r *queryResolver) restrictedNode(ctx context.Context, typeName, key string) (relay.Node, error) {
	v := bridge.ActorFrom(ctx)
	query := map[string]string{typeRightsRequest: "rightsRequest", typeAuditEvent: "auditEvents"}[typeName]
	if !slices.Contains(QueryPolicy()[query], v.Role) {
		return nil, nil
	}
	if typeName == typeRightsRequest {
		req, err := r.Rights.Get(ctx, v, key)
		switch {
		case bridge.ErrorCode(err) == bridge.CodeNotFound:
			return nil, nil
		case err != nil:
			return nil, err
		}
		return &req, nil
	}
	page, err := r.AuditLog.Read(ctx, v, bridge.AuditFilter{EventID: key}, 1, "")
	if err != nil || len(page.Items) == 0 {
		return nil, err
	}
	return &page.Items[0], nil
}
