// The first page of a text search reads, for each theme and each municipality the text found, only
// its first people by name, instead of every person linked to it (a theme word found 47,950 people
// through ten themes at 100,000 people, and the page cost what they cost: issue 15). So every
// WORKS_ON and every person's LOCATED_IN carries the person's name and id, and LOCATED_IN the
// municipality's id (w.personName, w.person, w.theme; l.personName, l.person, l.municipality: set
// by every write that links or renames a person, and filled in for existing relationships by the
// store's data step of this migration), and these range indexes read them in (name, id) order
// from one theme or municipality and stop at a limit.
CREATE INDEX works_on_theme_person_name IF NOT EXISTS FOR ()-[w:WORKS_ON]-() ON (w.theme, w.personName, w.person);
CREATE INDEX located_in_municipality_person_name IF NOT EXISTS FOR ()-[l:LOCATED_IN]-() ON (l.municipality, l.personName, l.person);
