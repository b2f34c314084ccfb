// The things alone (organisations, places, themes, groups, events, practices), in full-text
// indexes of their own beside those of migrations 0002 and 0011, which also hold every person
// (issue 15). A text search's first page expands the things the text finds (each organisation's,
// place's and theme's first people by name) and needs the people found on their own record only
// when those do not fill the page; with one index for both, every person's hit was read to find
// the things ("Malmo" is on about 1,250 people's own records at 100,000 people and grows with
// them, where the organisations and places it names do not). The searches of organisations,
// places and practices read these too. The same analyzers and properties as the indexes they
// stand beside, so that a thing is found by the same words; things change rarely, so a person's
// write updates no more indexes than before.
CREATE FULLTEXT INDEX things_text IF NOT EXISTS
FOR (n:Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.name, n.title, n.bio, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX things_stem_sv IF NOT EXISTS
FOR (n:Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.title, n.bio, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'swedish', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX things_stem_nb IF NOT EXISTS
FOR (n:Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.bio, n.title, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'norwegian', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX things_stem_da IF NOT EXISTS
FOR (n:Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.searchText, n.title, n.bio]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'danish', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX things_stem_fi IF NOT EXISTS
FOR (n:Organisation|Municipality|Region|Country|Theme|ExpertGroup|Event|Practice)
ON EACH [n.searchText, n.bio, n.title]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'finnish', `fulltext.eventually_consistent`: false}};
