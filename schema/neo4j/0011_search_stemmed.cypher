// Inflection (issue 13): one full-text index per Nordic language that Lucene can stem, over what
// people write in sentences (titles, bios, and searchText: theme labels and aliases, place and
// organisation names), beside the folded search_text. Each stems what it holds as if it were its
// language (a bio's language is not known): kvinnor/kvinner/nyanlända (swedish),
// språket/arbeidsmarkedet/sproget (norwegian), innvandrere/indvandrere/flygtninge (danish),
// maahanmuuttajien (finnish). Names are not in them: a name is matched folded and by prefix in
// search_text. Icelandic, Faroese and Greenlandic have no analyzer (theme aliases cover their
// common forms). ARCHITECTURE.md, "Search", has the evidence. Neo4j refuses a second full-text
// index on the same labels and properties in the same order, whatever its analyzer, so each
// lists the three properties in an order of its own.
CREATE FULLTEXT INDEX search_stem_sv IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.title, n.bio, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'swedish', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX search_stem_nb IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.bio, n.title, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'norwegian', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX search_stem_da IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.searchText, n.title, n.bio]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'danish', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX search_stem_fi IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.searchText, n.bio, n.title]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'finnish', `fulltext.eventually_consistent`: false}};
