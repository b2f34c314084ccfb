// The secretariat's internal notes on introductions (IntroductionNote, HAS_NOTE): erasure finds
// those an erased secretariat member wrote by their author.
CREATE INDEX introduction_note_author IF NOT EXISTS FOR (n:IntroductionNote) ON (n.authorId);
