"""Every card verb and the input ids its payload carries: the contract between cards, dialogs and bot."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class Verb(StrEnum):
    HELP_SHOW = "help.show"
    PROFILE_SHOW = "profile.show"
    AVAILABILITY_EDIT = "availability.edit"
    AVAILABILITY_SAVE = "availability.save"
    AVAILABILITY_PAUSE = "availability.pause"
    AVAILABILITY_RESUME = "availability.resume"
    AVAILABILITY_WITHDRAW = "availability.withdraw"
    AVAILABILITY_WITHDRAW_CONFIRM = "availability.withdraw.confirm"
    SUGGESTIONS_OFF = "suggestions.off"
    KLUS_NEW = "klus.new"
    KLUS_EDIT = "klus.edit"
    KLUS_POST = "klus.post"
    KLUS_SHOW = "klus.show"
    KLUS_MINE = "klus.mine"
    KLUS_LIST = "klus.list"
    KLUS_CANCEL = "klus.cancel"
    KLUS_CANCEL_CONFIRM = "klus.cancel.confirm"
    KLUS_CANDIDATES = "klus.candidates"
    INTEREST_ADD = "interest.add"
    INTEREST_WITHDRAW = "interest.withdraw"
    CANDIDATE_INVITE = "candidate.invite"
    CANDIDATE_CHOOSE = "candidate.choose"
    MATCH_CONFIRM = "match.confirm"
    MATCH_DECLINE = "match.decline"
    APPROVAL_SHOW = "approval.show"
    APPROVAL_APPROVE = "approval.approve"
    APPROVAL_DECLINE = "approval.decline"
    APPROVAL_FORWARD = "approval.forward"
    AGREEMENT_SHOW = "agreement.show"
    AGREEMENT_LIST = "agreement.list"
    APPLICATIONS_SHOW = "applications.show"
    HOURS_SHOW = "hours.show"
    HOURS_REPORT = "hours.report"
    HOURS_CHECK = "hours.check"
    HOURS_CORRECT = "hours.correct"
    WORK_COMPLETE = "work.complete"
    WORK_COMPLETE_CONFIRM = "work.complete.confirm"
    EVALUATION_SEND = "evaluation.send"
    EVALUATIONS_SHOW = "evaluations.show"
    ACCESS_LOG_SHOW = "access_log.show"
    ANNOUNCE_NEW = "announce.new"
    ANNOUNCE_PREVIEW = "announce.preview"
    ANNOUNCE_EDIT = "announce.edit"
    ANNOUNCE_SEND = "announce.send"
    ANNOUNCE_SCHEDULE = "announce.schedule"
    ANNOUNCE_REPORT = "announce.report"
    ANNOUNCE_CANCEL = "announce.cancel"
    ANNOUNCE_WITHDRAW = "announce.withdraw"
    DIGEST_ON = "digest.on"
    DIGEST_OFF = "digest.off"
    REPORT_SHOW = "report.show"
    REPORT_EVALUATIONS = "report.evaluations"
    MY_DATA_SHOW = "my_data.show"
    MY_DATA_ERASE = "my_data.erase"
    MY_DATA_ERASE_CONFIRM = "my_data.erase.confirm"
    TRACK_NEW = "track.new"
    TRACK_PROPOSE = "track.propose"
    TRACK_ACCEPT = "track.accept"
    TRACK_DECLINE = "track.decline"
    TRACK_MINE = "track.mine"
    TRACK_END = "track.end"
    TRACK_COACHING = "track.coaching"
    TRACK_LIST = "track.list"
    TRACK_SHOW = "track.show"
    TRACK_KLUSSEN = "track.klussen"
    TRACK_SUGGEST = "track.suggest"
    TRACK_STANDING = "track.standing"
    TALENT_SEARCH = "talent.search"
    TALENT_DATE_NEW = "talent.date.new"
    TALENT_DATE_REQUEST = "talent.date.request"
    TALENT_DATE_ACCEPT = "talent.date.accept"
    TALENT_DATE_DECLINE = "talent.date.decline"
    TALENT_DATE_SHOW = "talent.date.show"
    TALENT_DATE_KLUS = "talent.date.klus"
    CONFIRMATION_HIDE = "confirmation.hide"
    CONFIRMATION_SHOW = "confirmation.show"
    PULSE_ANSWER = "pulse.answer"
    SHIFTS_NEW = "shifts.new"
    SHIFTS_POST = "shifts.post"
    SHIFTS_OPEN = "shifts.open"
    SHIFTS_CANDIDATES = "shifts.candidates"
    SHIFTS_PROPOSE = "shifts.propose"
    PLANNING_SHOW = "planning.show"
    POOL_SHOW = "pool.show"
    POOL_MEMBER_ADD = "pool.member.add"
    POOL_MEMBER_REMOVE = "pool.member.remove"
    POOL_STEP_DONE = "pool.step.done"
    POOL_QUALIFICATION_RECORD = "pool.qualification.record"
    POOL_LACKING = "pool.lacking"
    UNAVAILABLE_SHOW = "unavailable.show"
    UNAVAILABLE_ADD = "unavailable.add"
    UNAVAILABLE_REMOVE = "unavailable.remove"


# A card's one-time key, in the data of each of its buttons that create something: the server takes
# the effect once per person and key, and answers a second press with what the first one made.
ONCE = "once"


class Dataset(StrEnum):
    """What a type-ahead list (`choices.data`) asks the bot to search in (an `application/search` invoke)."""

    SKILLS = "skills"


class AvailabilityInput(StrEnum):
    """Input ids of the sign-up card; `availability.save` sends them back."""

    SKILLS = "skills"
    SKILLS_OTHER = "skills_other"
    HOURS_PER_WEEK = "hours_per_week"
    START_DATE = "start_date"
    END_DATE = "end_date"
    WEEKDAYS = "weekdays"
    ORGANISATIONS = "organisations"
    WORK_MODE = "work_mode"
    INTRO = "intro"
    SUGGESTIONS = "suggestions"
    VISIBLE_TO_OWN_LINE = "visible_to_own_line"
    FINDABLE = "findable"
    TALENT_TEXT = "talent_text"
    LEARNING_SKILLS = "learning_skills"
    LEARNING_OTHER = "learning_other"


class PauseInput(StrEnum):
    """Input id of the pause card; `availability.pause` sends it back."""

    PAUSED_UNTIL = "paused_until"


class KlusInput(StrEnum):
    """Input ids of the klus form (`klus.post`) and of the ids other klus verbs carry."""

    KLUS_ID = "klus_id"
    PERSON_ID = "person_id"
    TITLE = "title"
    DESCRIPTION = "description"
    ORGANISATION = "organisation"
    REQUIRED_SKILLS = "required_skills"
    NICE_SKILLS = "nice_skills"
    SKILLS_OTHER = "skills_other"
    HOURS_PER_WEEK = "hours_per_week"
    START_DATE = "start_date"
    END_DATE = "end_date"
    WORK_MODE = "work_mode"
    PLACE = "place"
    PEOPLE_NEEDED = "people_needed"
    INTEREST_DEADLINE = "interest_deadline"
    VISIBILITY = "visibility"
    INTERNAL_FIRST_UNTIL = "internal_first_until"
    LEARNING_SKILLS = "learning_skills"
    LEERKLUS = "leerklus"
    MOTIVATION = "motivation"
    SHARE_MOTIVATION = "share_motivation"
    FILTER_ORGANISATION = "filter_organisation"
    FILTER_REMOTE = "filter_remote"
    FILTER_MAX_HOURS = "filter_max_hours"


class ApprovalInput(StrEnum):
    """What the approval card's buttons send back: the approval, and a reason or a delegate."""

    APPROVAL_ID = "approval_id"
    REASON = "reason"
    DELEGATE = "delegate"


class AnnounceInput(StrEnum):
    """Input ids of the announcement composer; preview and send carry them along as data."""

    ANNOUNCEMENT_ID = "announcement_id"
    TITLE = "title"
    TEXT = "text"
    LINK_TITLE = "link_title"
    LINK_URL = "link_url"
    CHANNELS = "channels"
    ORGANISATIONS = "organisations"
    SEND_DATE = "send_date"
    SEND_TIME = "send_time"


class ReportInput(StrEnum):
    """The report card's choice of organisation and period (`report.show`)."""

    ORGANISATION = "report_organisation"
    START = "report_from"
    END = "report_to"


def report_scope(organisation_key: str, start: date, end: date) -> dict[str, str]:
    """The organisation and period, as the report card's inputs send them."""
    return {
        ReportInput.ORGANISATION.value: organisation_key,
        ReportInput.START.value: start.isoformat(),
        ReportInput.END.value: end.isoformat(),
    }


class WorkInput(StrEnum):
    """The hours and evaluation cards' inputs; they carry the approval id (ApprovalInput) too."""

    MONTH = "month"
    HOURS = "hours"
    SHOWN = "shown"  # the employee's hours as the poster's card showed them
    SCORE = "score"
    WENT_WELL = "went_well"
    COULD_BE_BETTER = "could_be_better"
    AGAIN = "again"
    SKILLS = "skills"
    ADD_SKILLS = "add_skills"


class TrackInput(StrEnum):
    """The track start card's inputs; the consent card sends the proposal back with its seal."""

    # The names of the fields' messages (domain/track.py, services/tracks.py) are these ids.
    TRACK_ID = "track_id"
    PERSON = "person"
    PROPOSER = "proposer"
    KIND = "kind"
    SKILLS = "skills"
    HOURS = "hours"
    UNTIL = "until"
    ADVISER = "adviser"
    SEAL = "seal"
    COACHING = "coaching"


class TalentInput(StrEnum):
    """The talent search card (`talent.search`: the text and a page) and a date request
    (`talent.date.request`: the talent's reference and the request); the date's id on a date card."""

    QUERY = "talent_query"
    PAGE = "page"
    REF = "talent_ref"
    TEXT = "date_text"
    HOURS = "date_hours"
    START = "date_start"
    END = "date_end"
    DATE_ID = "date_id"


class GrowthInput(StrEnum):
    """The confirmed-skill buttons of the profile, and the pulse card's inputs (`pulse.answer`)."""

    SKILL = "skill"
    PULSE_ID = "pulse_id"
    SCORE = "pulse_score"
    TEXT = "pulse_text"
    SIGNED = "pulse_signed"


class ShiftInput(StrEnum):
    """The request by shift form's own input (its other fields are the klus form's), and the planning
    board's week and scope (`planning.show`)."""

    SHIFTS = "shifts"
    POOL = "pool"
    QUALIFICATIONS = "qualifications"
    WEEK = "week"
    SCOPE = "scope"


class PoolInput(StrEnum):
    """Input ids of the pool cards: the coordinator's and a person's own (unavailable periods)."""

    POOL = "pool"
    PERSON_ID = "person_id"
    EMAIL = "pool_email"
    STEP = "step"
    QUALIFICATION = "qualification"
    OBTAINED_ON = "obtained_on"
    EXPIRES_ON = "expires_on"
    PERIOD_ID = "period_id"
    FIRST_DAY = "first_day"
    LAST_DAY = "last_day"
    REASON = "reason"
    WEEKDAYS = "weekdays"
