"""Counts in the sentences about review files, shared by the window and the command line.

Every count is its own ngettext, so that one reads "1 conversation" and "2 conversations"
(Danish "1 samtale", "2 samtaler"); a sentence takes the counted words whole.
"""

from __future__ import annotations

from counsellor_app.core.i18n import ngettext


def conversations_text(count: int) -> str:
    """``1 conversation``, ``2 conversations``."""
    return ngettext("{count} conversation", "{count} conversations", count).format(count=count)


def comments_text(count: int) -> str:
    """``1 comment``, ``2 comments``."""
    return ngettext("{count} comment", "{count} comments", count).format(count=count)


def reflections_text(count: int) -> str:
    """``1 reflection``, ``2 reflections``."""
    return ngettext("{count} reflection", "{count} reflections", count).format(count=count)


def sign_offs_text(count: int) -> str:
    """``1 sign-off``, ``2 sign-offs``."""
    return ngettext("{count} sign-off", "{count} sign-offs", count).format(count=count)


def review_contents_text(conversations: int, comments: int, reflections: int) -> str:
    """What a case for review holds: ``2 conversations, 1 comment, 0 reflections``."""
    return ", ".join(
        (
            conversations_text(conversations),
            comments_text(comments),
            reflections_text(reflections),
        )
    )


def comments_received_text(added: int, updated: int, sign_offs: int) -> str:
    """What a comments file brought: ``2 new comments, 1 updated; 1 new sign-off``."""
    new = ngettext("{count} new comment", "{count} new comments", added)
    changed = ngettext("{count} updated", "{count} updated", updated)
    signed = ngettext("{count} new sign-off", "{count} new sign-offs", sign_offs)
    return (
        new.format(count=added)
        + ", "
        + changed.format(count=updated)
        + "; "
        + signed.format(count=sign_offs)
    )


def rubric_ratings_text(count: int) -> str:
    """``1 rubric rating``, ``4 rubric ratings``."""
    return ngettext("{count} rubric rating", "{count} rubric ratings", count).format(count=count)


def comments_changed_text(deleted: int, rated: int) -> str:
    """What else a comments file changed: ``1 comment deleted, 4 rubric ratings``."""
    gone = ngettext("{count} comment deleted", "{count} comments deleted", deleted)
    return gone.format(count=deleted) + ", " + rubric_ratings_text(rated)


__all__ = [
    "comments_changed_text",
    "comments_received_text",
    "comments_text",
    "conversations_text",
    "reflections_text",
    "review_contents_text",
    "sign_offs_text",
]
