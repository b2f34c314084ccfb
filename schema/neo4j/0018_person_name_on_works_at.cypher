// An organisation's staff are read in name order, a page at a time, instead of all of them sorted
// for every page, and a text search's first page reads only the first staff of each organisation
// the text found ("integration" names 1,429 organisations, with 29,119 staff, at 100,000 people:
// issue 15). So every WORKS_AT carries the person's name and id and the organisation's id
// (w.personName, w.person, w.organisation: set by every write that links or renames a person,
// or merges organisations, and filled in for existing relationships by the store's data step of
// this migration), as migration 0017 did for WORKS_ON and LOCATED_IN.
CREATE INDEX works_at_organisation_person_name IF NOT EXISTS FOR ()-[w:WORKS_AT]-() ON (w.organisation, w.personName, w.person);
