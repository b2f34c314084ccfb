// One full-text index for free-text search over names, titles, bios and theme labels in every
// Nordic language. standard-folding folds letters (Malmö→malmo, Tromsø→tromso, Århus→arhus), which
// none of the language analyzers does, and Icelandic, Faroese and Greenlandic have no analyzer of
// their own. searchText carries whatever else a node should be found by (all theme labels, local
// and parallel names).
CREATE FULLTEXT INDEX search_text IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.name, n.title, n.bio, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}};
