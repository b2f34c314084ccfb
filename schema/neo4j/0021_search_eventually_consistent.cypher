// The five full-text indexes that hold people (search_text of migration 0002, the four stemmed
// ones of 0011), the same again but eventually consistent (issue 15: writes p99 <= 50 ms at the
// make run size). Every person's title and bio is in all five, the name in search_text. A
// synchronous full-text index is updated inside the committing transaction: at 1,000 people a
// commit that changed a title took 26-34 ms at p50 with all five synchronous, 8-10 ms with
// search_text alone, 1.5-3 ms with none (one that changed no indexed text: 1 ms). Eventually
// consistent, Neo4j applies the change in the background right after the commit.
// What that changes for searches: a profile write is found a moment after it returns (a few
// milliseconds; on a test Neo4j a search through the store right after a write found it every
// time, a bare index query 12 times in 20). A deleted person is never found (Neo4j drops
// deleted nodes from an index's hits: 0 of 20 right after the delete), and visibility and
// filters are tested on the person, not in the index. The bulk writes (seed, import, test
// fixtures) wait for the refresh before they return (Store.awaitSearch): what they load is found
// at once. The indexes of things alone (0020) stay synchronous: the secretariat writes them, rarely.
// Each index is dropped and created again under its own name, the name the queries use: an
// index's settings cannot be changed in place. A run cut off half-way is finished by the next.
DROP INDEX search_text IF EXISTS;
CREATE FULLTEXT INDEX search_text IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.name, n.title, n.bio, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: true}};
DROP INDEX search_stem_sv IF EXISTS;
CREATE FULLTEXT INDEX search_stem_sv IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.title, n.bio, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'swedish', `fulltext.eventually_consistent`: true}};
DROP INDEX search_stem_nb IF EXISTS;
CREATE FULLTEXT INDEX search_stem_nb IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.bio, n.title, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'norwegian', `fulltext.eventually_consistent`: true}};
DROP INDEX search_stem_da IF EXISTS;
CREATE FULLTEXT INDEX search_stem_da IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.searchText, n.title, n.bio]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'danish', `fulltext.eventually_consistent`: true}};
DROP INDEX search_stem_fi IF EXISTS;
CREATE FULLTEXT INDEX search_stem_fi IF NOT EXISTS
FOR (n:Person|Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.searchText, n.bio, n.title]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'finnish', `fulltext.eventually_consistent`: true}};
