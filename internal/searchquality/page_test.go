package searchquality

import "github.com/nordic-integration/bridge/internal/bridge"

// searchPage is the page the set is run with: the API's default order for text (relevance).
func searchPage(first int) bridge.PeoplePage {
	return bridge.PeoplePage{First: first, Order: bridge.OrderRelevance}
}
