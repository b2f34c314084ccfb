// People lists are ordered by name, then id: a range index on the name lets a page without a
// text filter be read in index order, in proportion to the page rather than to all people.
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
