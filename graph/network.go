package graph

import (
	"context"

	"github.com/nordic-integration/bridge/graph/model"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/network"
)

// The map of the network as the schema has it: ids become global ids.

var networkNodeTypes = map[string]string{"PERSON": typePerson, "ORGANISATION": typeOrganisation, "GROUP": typeExpertGroup, "EVENT": typeEvent}

func networkCoverage(t network.Table) *model.NetworkCoverage {
	key := func(k string) string {
		if t.Dimension == network.ByTheme {
			return bridge.GlobalID(typeTheme, k)
		}
		return k
	}
	out := &model.NetworkCoverage{Dimension: model.NetworkDimension(t.Dimension), Columns: make([]string, 0, len(t.Columns)), Rows: make([]model.NetworkRow, 0, len(t.Rows))}
	for _, c := range t.Columns {
		out.Columns = append(out.Columns, key(c))
	}
	for _, r := range t.Rows {
		row := model.NetworkRow{Country: r.Country, Cells: make([]model.NetworkCell, 0, len(r.Cells))}
		for _, c := range r.Cells {
			row.Cells = append(row.Cells, model.NetworkCell{Key: key(c.Key), People: c.People, Organisations: c.Organisations})
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

func networkGaps(g network.Gaps) *model.NetworkGaps {
	out := &model.NetworkGaps{EmptyMunicipalitiesTotal: g.EmptyMunicipalitiesTotal, EmptyMunicipalities: []model.NetworkEmptyPlace{},
		NationalActors: []model.NetworkActor{}, ThinThemes: []model.NetworkThinTheme{}, Groups: []model.NetworkGroupGap{}}
	for _, p := range g.EmptyMunicipalities {
		out.EmptyMunicipalities = append(out.EmptyMunicipalities, model.NetworkEmptyPlace{Municipality: bridge.GlobalID(typeMunicipality, p.ID),
			Name: p.Name, Country: p.Country, Population: p.Population})
	}
	for _, a := range g.NationalActors {
		out.NationalActors = append(out.NationalActors, model.NetworkActor{Organisation: bridge.GlobalID(typeOrganisation, a.ID), Name: a.Name,
			Country: nonEmpty(a.Country), Kind: a.Kind})
	}
	for _, t := range g.ThinThemes {
		out.ThinThemes = append(out.ThinThemes, model.NetworkThinTheme{Country: t.Country, Theme: bridge.GlobalID(typeTheme, t.ThemeID), People: t.People})
	}
	for _, gg := range g.Groups {
		out.Groups = append(out.Groups, model.NetworkGroupGap{Group: bridge.GlobalID(typeExpertGroup, gg.ID), Name: gg.Name, Countries: gg.Countries})
	}
	return out
}

// networkNode is a node; the name of a person members do not see is a READ_PROFILE.
func networkNode(ctx context.Context, r *Resolver, n network.Node) model.NetworkNode {
	if n.Hidden {
		recordRead(ctx, r, n.ID, bridge.AuditReadProfile, "name")
	}
	return model.NetworkNode{Kind: n.Kind, ID: bridge.GlobalID(networkNodeTypes[n.Kind], n.ID), Name: n.Name}
}

func networkBridges(ctx context.Context, r *Resolver, b network.Bridges) *model.NetworkBridges {
	out := &model.NetworkBridges{Nodes: b.Nodes, Edges: b.Edges, Components: b.Components, Largest: b.Largest, IslandsTotal: b.IslandsTotal,
		Bridges: []model.NetworkBridge{}, Islands: []model.NetworkIsland{}}
	for _, x := range b.Bridges {
		n := networkNode(ctx, r, x.Node)
		out.Bridges = append(out.Bridges, model.NetworkBridge{Node: &n, Separated: x.Separated})
	}
	for _, i := range b.Islands {
		isl := model.NetworkIsland{Size: i.Size}
		for _, m := range i.Members {
			isl.Members = append(isl.Members, networkNode(ctx, r, m))
		}
		out.Islands = append(out.Islands, isl)
	}
	return out
}
