"""Students and mentors: review cases together and learn from them (issue 6).

Roles. A **student's** notebook (``Role.STUDENT``) holds the student's own cases, the
mentor's comments on them (with the student's answers), the sign-offs of reviews and the
student's reflection log. Any other notebook (an experienced counsellor's or a
supervisor's) can act as a **mentor** (:func:`is_mentor`): it makes its key pair (the
same as a supervisor's, :func:`counsellor_app.core.exchange.ensure_key_pair`), imports
cases sent for review, comments on them, signs them off and sends the comments back.

A review at the student's own computer (the mentor beside) writes comments and
sign-offs straight into the student's notebook (``Subject.own(case_id)``); a review away
from it goes through two encrypted files (:mod:`.files`). Review mode, the to-do list of
comments, the reflection log, the learning overview and the case study PDF
(:mod:`counsellor_app.core.case_study`) read everything through the functions here::

    Subject.own(case_id) / Subject.received(review_case_id)
    review_material(notebook, subject) -> ReviewMaterial
    comments(notebook, subject) -> list[MentorComment]
    add_comment(notebook, subject, conversation_ref, step | None, initials, text)
    answer_comment(notebook, subject, uid, text)        # the student
    resolve_comment(notebook, subject, uid, resolved=True)
    edit_comment / delete_comment(notebook, subject, uid)  # the mentor, in the mentor's
    sign_off(notebook, subject, day, initials)           # the mentor, on a received case
    sign_offs / sign_off_states(notebook, subject)       # each with the case's version
    case_version(notebook, case_id); current_version(notebook, subject)
    rate_conversation(notebook, subject, ref, initials, {step: (level, note)})
    rubric(notebook, subject); rubric_over_time(notebook)   # the mentor's rubric
    reflections / add_reflection / update_reflection / delete_reflection (own cases)
    open_comments(notebook) -> list[CommentTodo]
    learning_overview(notebook) -> LearningOverview
    received_cases(notebook); find_received(notebook, "R-K7QF2M"); delete_received_case

    preview_case_for_review / export_case_for_review    # the student -> the mentor
    export_comments                                      # the mentor -> the student
    import_review_files(notebook, paths)                 # either kind, either side
    ReviewFileImport.sentence(); review_contents_text(...)  # counted words, both sides
"""

from counsellor_app.core.mentoring.files import (
    CommentsExportResult,
    ReviewExportResult,
    ReviewFileForeign,
    ReviewFileImport,
    ReviewFileKind,
    ReviewImportReport,
    ReviewImportStatus,
    ReviewPreview,
    SenderKeyChanged,
    export_case_for_review,
    export_comments,
    import_review_file,
    import_review_files,
    preview_case_for_review,
    remembered_mentor_key,
)
from counsellor_app.core.mentoring.format import (
    COMMENTS_SUFFIX,
    MAX_INITIALS,
    MAX_RUBRIC_NOTE,
    REVIEW_SUFFIX,
    CommentRecord,
    CommentStatus,
    ReflectionRecord,
    RubricLevel,
    RubricRecord,
    SignOffRecord,
    level_label,
    status_label,
)
from counsellor_app.core.mentoring.records import (
    CommentTodo,
    LearningOverview,
    MentorComment,
    MentoringError,
    Rating,
    ReceivedCase,
    Reflection,
    ReviewConversation,
    ReviewMaterial,
    RubricRow,
    SignOffState,
    Subject,
    SubjectKind,
    add_comment,
    add_reflection,
    answer_comment,
    can_change_comments,
    case_version,
    comments,
    conversation_refs,
    current_version,
    delete_comment,
    delete_received_case,
    delete_reflection,
    deleted_comments,
    display_ref,
    edit_comment,
    find_received,
    is_mentor,
    learning_overview,
    open_comments,
    rate_conversation,
    received_cases,
    reflections,
    remembered_initials,
    resolve_comment,
    review_material,
    rubric,
    rubric_over_time,
    sign_off,
    sign_off_states,
    sign_offs,
    update_reflection,
)
from counsellor_app.core.mentoring.sentences import (
    comments_changed_text,
    comments_received_text,
    comments_text,
    conversations_text,
    reflections_text,
    review_contents_text,
    rubric_ratings_text,
    sign_offs_text,
)

__all__ = [
    "COMMENTS_SUFFIX",
    "MAX_INITIALS",
    "MAX_RUBRIC_NOTE",
    "REVIEW_SUFFIX",
    "CommentRecord",
    "CommentStatus",
    "CommentTodo",
    "CommentsExportResult",
    "LearningOverview",
    "MentorComment",
    "MentoringError",
    "Rating",
    "ReceivedCase",
    "Reflection",
    "ReflectionRecord",
    "ReviewConversation",
    "ReviewExportResult",
    "ReviewFileForeign",
    "ReviewFileImport",
    "ReviewFileKind",
    "ReviewImportReport",
    "ReviewImportStatus",
    "ReviewMaterial",
    "ReviewPreview",
    "RubricLevel",
    "RubricRecord",
    "RubricRow",
    "SenderKeyChanged",
    "SignOffRecord",
    "SignOffState",
    "Subject",
    "SubjectKind",
    "add_comment",
    "add_reflection",
    "answer_comment",
    "can_change_comments",
    "case_version",
    "comments",
    "comments_changed_text",
    "comments_received_text",
    "comments_text",
    "conversation_refs",
    "conversations_text",
    "current_version",
    "delete_comment",
    "delete_received_case",
    "delete_reflection",
    "deleted_comments",
    "display_ref",
    "edit_comment",
    "export_case_for_review",
    "export_comments",
    "find_received",
    "import_review_file",
    "import_review_files",
    "is_mentor",
    "learning_overview",
    "level_label",
    "open_comments",
    "preview_case_for_review",
    "rate_conversation",
    "received_cases",
    "reflections",
    "reflections_text",
    "remembered_initials",
    "remembered_mentor_key",
    "resolve_comment",
    "review_contents_text",
    "review_material",
    "rubric",
    "rubric_over_time",
    "rubric_ratings_text",
    "sign_off",
    "sign_off_states",
    "sign_offs",
    "sign_offs_text",
    "status_label",
    "update_reflection",
]
