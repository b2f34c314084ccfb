// Answers the secretariat records for a party (internal/introductions RecordAnswer) name that
// party in Transition.onBehalfOf; erasure removes the id from them as from actorId.
CREATE INDEX transition_on_behalf_of IF NOT EXISTS FOR (n:Transition) ON (n.onBehalfOf);
