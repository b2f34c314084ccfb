// Every WORKS_ON relationship carries the ids of its theme and its person (w.theme, w.person; set
// by every write of WORKS_ON, and filled in for existing relationships by the store's data step
// of this migration), and a range index on them lets the people of a theme be read in person-id
// order and stop at a limit: peer candidates cost what a page costs, not what a popular theme
// holds, and their order never depends on the order of the store.
CREATE INDEX works_on_theme_person IF NOT EXISTS FOR ()-[w:WORKS_ON]-() ON (w.theme, w.person);
