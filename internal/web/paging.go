package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Paging. The API's connections page forward only (first/after: there is no before/last), so
// the web app carries the way back in the address: `after` is where this page starts and `back`
// (repeated) where the pages before it started, oldest first, at most maxBack of them (the
// first page needs none). "Previous page" is then an ordinary link: it works without script and
// without the browser's history, and survives a bookmark.
//
// People are ordered by name, and the API's person cursor holds the last person's name (base64,
// which anyone can read). A name must not be in an address (issue 12: ids only; addresses end up
// in histories, bookmarks and proxies' logs), so for people the address holds the global id of
// the last person of the page instead, and peopleAfter turns it back into the API's cursor with
// that person's name, read through the API as the viewer. Other lists (municipalities,
// organisations) have cursors of keys only and carry them as they are.

// maxBack bounds the pages remembered for "previous": beyond it, the oldest is forgotten and
// "first page" is the way back.
const maxBack = 20

// pager is the links of a paged list; empty strings are links not shown.
type pager struct {
	First, Prev, Next string
}

// pagerFor builds the links of the list on r's page: next starts after nextAfter (when there is
// a next page); previous and first exist from the second page on.
func pagerFor(r *http.Request, hasNext bool, nextAfter string) pager {
	after := param(r, "after")
	back := params(r, "back")
	link := func(after string, back []string) string {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			if k != "after" && k != "back" {
				q[k] = v
			}
		}
		if after != "" {
			q.Set("after", after)
		}
		if len(back) > 0 {
			q["back"] = back
		}
		if len(q) == 0 {
			return r.URL.Path
		}
		return r.URL.Path + "?" + q.Encode()
	}
	var p pager
	if after != "" {
		p.First = link("", nil)
		p.Prev = p.First
		if n := len(back); n > 0 {
			p.Prev = link(back[n-1], back[:n-1])
		}
	}
	if hasNext && nextAfter != "" {
		next := append([]string{}, back...)
		if after != "" {
			next = append(next, after)
		}
		if len(next) > maxBack {
			next = next[len(next)-maxBack:]
		}
		p.Next = link(nextAfter, next)
	}
	return p
}

// cursorPager is the pager of a connection whose cursors hold keys only.
func cursorPager(r *http.Request, conn map[string]any) pager {
	info := object(conn, "pageInfo")
	end, _ := info["endCursor"].(string)
	return pagerFor(r, info["hasNextPage"] == true, end)
}

// peoplePager is the pager of a connection of people: the next page starts after the last
// person's id. A text search is in relevance order, where the API's cursor also holds the rank
// of what matched and the person's position in the list (small numbers, nothing personal): the
// address carries them after the id, as <id>!<rank>!<position> (the position, which lets the
// API read the next page without reading every match, only when the API gave one).
func peoplePager(r *http.Request, conn map[string]any) pager {
	edges := list(conn, "edges")
	last := ""
	if n := len(edges); n > 0 {
		last = fmt.Sprint(object(edges[n-1], "node")["id"])
		end, _ := object(conn, "pageInfo")["endCursor"].(string)
		if rank, _, _, position, err := bridge.ParseRankedPersonCursor(nil, end); err == nil {
			last += "!" + strconv.Itoa(int(rank))
			if position > 0 {
				last += "!" + strconv.Itoa(position)
			}
		}
	}
	return pagerFor(r, object(conn, "pageInfo")["hasNextPage"] == true, last)
}

// peopleAfter is the API's cursor for a page of people that starts after the person whose
// global id is the address's `after` (nil on the first page). A person the viewer may no longer
// see (erased, paused, hidden since) has no name to page by: the list starts again.
func (a *App) peopleAfter(r *http.Request) (any, error) {
	id, rankText, ranked := strings.Cut(param(r, "after"), "!")
	if id == "" {
		return nil, nil
	}
	rankText, positionText, positioned := strings.Cut(rankText, "!")
	rank, err := strconv.Atoi(rankText)
	if ranked && (err != nil || rank < int(bridge.RankExactName) || rank > int(bridge.RankSpelling)) {
		return nil, &apiError{Code: bridge.CodeBadUserInput, Message: "after: not a rank"}
	}
	position := 0
	if positioned {
		if position, err = strconv.Atoi(positionText); err != nil || position < 1 {
			return nil, &apiError{Code: bridge.CodeBadUserInput, Message: "after: not a position"}
		}
	}
	typ, key, err := bridge.ParseGlobalID(nil, id)
	if err != nil || typ != "Person" || strings.TrimSpace(key) == "" {
		return nil, &apiError{Code: bridge.CodeBadUserInput, Message: "after: not a person's id"}
	}
	data, err := a.run(r.Context(), "PageAfterPerson", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	p := object(data, "person")
	if p == nil {
		return nil, nil
	}
	if ranked {
		return bridge.RankedPersonCursor(bridge.MatchRank(rank), fmt.Sprint(p["name"]), key, position), nil
	}
	return bridge.PersonCursor(fmt.Sprint(p["name"]), key), nil
}
