"""Messages queued before the workflow's mail moved to core name their task here.

The workflow's e-mails are core.notifications' (news.apps registers them for articles).
"""

from core.mail import deliver  # noqa: F401
