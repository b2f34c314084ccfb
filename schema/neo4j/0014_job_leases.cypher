// Leases of the periodic jobs (internal/lease): one JobLease per job name, held by one API
// instance at a time, so that the retention job and the introduction worker run once per interval
// across instances.
CREATE CONSTRAINT job_lease_name IF NOT EXISTS FOR (n:JobLease) REQUIRE n.name IS UNIQUE;
