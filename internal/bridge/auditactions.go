package bridge

// AuditAction is what an audit event records. Every action is a constant of this file, so that
// the log's vocabulary is in one place: the store writes them, the audit log reads them back, and
// the API shows them as the enum AuditAction (schema/graphql/audit.graphqls, bound in gqlgen.yml;
// a test keeps the three lists equal).
type AuditAction string

// Reads of others' data beyond what members see (graph/audit.go writes them before the response
// leaves). Fields of PUBLIC and MEMBERS profiles are not audited.
const (
	AuditReadContact AuditAction = "READ_CONTACT" // someone else's e-mail or phone
	AuditReadPrivacy AuditAction = "READ_PRIVACY" // someone else's consent records or pause state
	AuditReadProfile AuditAction = "READ_PROFILE" // fields of a SECRETARIAT-visibility profile
	AuditRead        AuditAction = "AUDIT_READ"   // reading the audit log; detail: the filter
)

// A person's own edits, and the secretariat's edits of people (art. 16 rectification; detail:
// the fields that changed).
const (
	AuditUpdateOwnProfile AuditAction = "UPDATE_OWN_PROFILE"
	AuditUpdatePerson     AuditAction = "UPDATE_PERSON"
	AuditCreatePerson     AuditAction = "CREATE_PERSON"
	AuditMergePeople      AuditAction = "MERGE_PEOPLE"
	AuditAddGroupMember   AuditAction = "ADD_GROUP_MEMBER"
	AuditRemoveMember     AuditAction = "REMOVE_GROUP_MEMBER"
	// Attendance of an event, recorded by the secretariat or said by the person: one event per
	// person; detail: the event's id and whether they attended.
	AuditRecordAttendance AuditAction = "RECORD_ATTENDANCE"
	// The secretariat sent an event's attendees the other attendees who work on their themes:
	// one event per attendee written to; detail: the event's id.
	AuditSendEventSuggestions AuditAction = "SEND_EVENT_SUGGESTIONS"
)

// The secretariat's edits of organisations and of the programme: their target is not a person.
const (
	AuditCreateOrganisation AuditAction = "CREATE_ORGANISATION"
	AuditUpdateOrganisation AuditAction = "UPDATE_ORGANISATION"
	AuditMergeOrganisations AuditAction = "MERGE_ORGANISATIONS"
	AuditSaveTheme          AuditAction = "SAVE_THEME"
	AuditSaveExpertGroup    AuditAction = "SAVE_EXPERT_GROUP"
	AuditSaveEvent          AuditAction = "SAVE_EVENT"
	AuditSavePractice       AuditAction = "SAVE_PRACTICE"
)

// The privacy rights. Detail carries the purpose (consents) or counts (erasure), never personal
// data.
const (
	AuditGiveConsent     AuditAction = "GIVE_CONSENT"
	AuditWithdrawConsent AuditAction = "WITHDRAW_CONSENT"
	AuditPause           AuditAction = "PAUSE_PROFILE"
	AuditResume          AuditAction = "RESUME_PROFILE"
	AuditExport          AuditAction = "EXPORT"
	AuditErase           AuditAction = "ERASE"
)

// The register of rights requests. Detail holds the request's id, kind and status only.
const (
	AuditRecordRights AuditAction = "RECORD_RIGHTS_REQUEST"
	AuditExtendRights AuditAction = "EXTEND_RIGHTS_REQUEST"
	AuditCloseRights  AuditAction = "CLOSE_RIGHTS_REQUEST"
)

// System work and the command line.
const (
	AuditRetention    AuditAction = "RETENTION"     // one per retention run: counts only
	AuditExportPeople AuditAction = "EXPORT_PEOPLE" // `bridge export people`: how many, which format
	AuditImport       AuditAction = "IMPORT"        // the secretariat's import in the browser: kind and counts
)

// NotPersonTargets are the actions whose target is not a person, with the type of what they are
// about (an organisation, or an item of the programme). Every other action is about a person.
var NotPersonTargets = map[AuditAction]string{
	AuditCreateOrganisation: "Organisation", AuditUpdateOrganisation: "Organisation", AuditMergeOrganisations: "Organisation",
	AuditSaveTheme: "Theme", AuditSaveExpertGroup: "ExpertGroup", AuditSaveEvent: "Event", AuditSavePractice: "Practice",
}

// AuditActions is every audit action, in the order of this file.
var AuditActions = []AuditAction{
	AuditReadContact,
	AuditReadPrivacy,
	AuditReadProfile,
	AuditRead,
	AuditUpdateOwnProfile,
	AuditUpdatePerson,
	AuditCreatePerson,
	AuditMergePeople,
	AuditAddGroupMember,
	AuditRemoveMember,
	AuditRecordAttendance,
	AuditSendEventSuggestions,
	AuditCreateOrganisation,
	AuditUpdateOrganisation,
	AuditMergeOrganisations,
	AuditSaveTheme,
	AuditSaveExpertGroup,
	AuditSaveEvent,
	AuditSavePractice,
	AuditGiveConsent,
	AuditWithdrawConsent,
	AuditPause,
	AuditResume,
	AuditExport,
	AuditErase,
	AuditRecordRights,
	AuditExtendRights,
	AuditCloseRights,
	AuditRetention,
	AuditExportPeople,
	AuditImport,
}
