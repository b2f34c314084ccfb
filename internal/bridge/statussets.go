package bridge

// The sets of introduction statuses that decide what the people involved may see. Queries take
// them as parameters built from these lists (never typed by hand in Cypher), so that a status
// added to the workflow changes every rule at once.
var (
	// OpenStatuses still wait for someone's answer and can expire.
	OpenStatuses = []IntroductionStatus{StatusRequested, StatusProposed}
	// ConnectedStatuses: both sides accepted; contact details flow, and the two count as
	// introduced (a warm link, "already introduced" in peers).
	ConnectedStatuses = []IntroductionStatus{StatusIntroduced, StatusCompleted}
	// MutualStatuses: the parties see each other's profile (not contact details) whatever its
	// visibility, because they have been asked about each other.
	MutualStatuses = []IntroductionStatus{StatusProposed, StatusIntroduced, StatusCompleted}
)

// StatusStrings returns the statuses as strings (query parameters).
func StatusStrings(ss []IntroductionStatus) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}
