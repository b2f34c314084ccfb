// A group's members and an event's attendees are read in name order, a page at a time, instead of
// all of them sorted for every page (the demo data puts 2 % of everyone in one of five groups and
// 5 % at one of four events: about 1,600 attendees an event at 100,000 people, 16,000 at
// 1,000,000; issue 15). So every MEMBER_OF and every ATTENDED carries the person's name and id and
// the group's or the event's id (m.personName, m.person, m.expertGroup; a.personName, a.person,
// a.event: set by every write that links or renames a person, and filled in for existing
// relationships by the store's data step of this migration), as migrations 0017 and 0018 did for
// WORKS_ON, LOCATED_IN and WORKS_AT.
CREATE INDEX member_of_group_person_name IF NOT EXISTS FOR ()-[m:MEMBER_OF]-() ON (m.expertGroup, m.personName, m.person);
CREATE INDEX attended_event_person_name IF NOT EXISTS FOR ()-[a:ATTENDED]-() ON (a.event, a.personName, a.person);
