// Range indexes for the filters and facets of search and for bulk maintenance (demo data).
CREATE INDEX municipality_country IF NOT EXISTS FOR (n:Municipality) ON (n.country);
CREATE INDEX region_country IF NOT EXISTS FOR (n:Region) ON (n.country);
CREATE INDEX organisation_kind IF NOT EXISTS FOR (n:Organisation) ON (n.kind);
CREATE INDEX organisation_country IF NOT EXISTS FOR (n:Organisation) ON (n.country);
CREATE INDEX organisation_demo IF NOT EXISTS FOR (n:Organisation) ON (n.demo);
CREATE INDEX person_country IF NOT EXISTS FOR (n:Person) ON (n.country);
CREATE INDEX person_visibility IF NOT EXISTS FOR (n:Person) ON (n.visibility);
CREATE INDEX person_demo IF NOT EXISTS FOR (n:Person) ON (n.demo);
CREATE INDEX person_source IF NOT EXISTS FOR (n:Person) ON (n.source);
CREATE INDEX introduction_demo IF NOT EXISTS FOR (n:Introduction) ON (n.demo);
