"""allauth's account adapter: a mail that cannot be sent becomes a message, not a 500."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib import messages

logger = logging.getLogger(__name__)

# allauth's own "we sent you an email" messages, left out once a send has failed.
SENT_MESSAGES = {
    "account/messages/email_confirmation_sent.txt",
    "account/messages/password_reset_sent.txt",
}
MAIL_FAILED = "_pithsite_mail_failed"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        # Every allauth mail (verification, password reset, email change, security
        # notices) goes through here; SMTP errors are OSErrors (SMTPException included).
        try:
            super().send_mail(template_prefix, email, context_)
        except OSError as error:
            # The template, not the recipient or the body: that holds the reset link.
            logger.error("mail %s could not be sent: %r", template_prefix, error)
            request = context.request
            if request is None or getattr(request, MAIL_FAILED, False):
                return
            setattr(request, MAIL_FAILED, True)
            messages.error(
                request,
                f"We could not send the email to {email} just now: our mail server did not "
                "answer. Please try again in a few minutes.",
            )

    def add_message(self, request, level, message_template=None, *args, **kwargs) -> None:
        if getattr(request, MAIL_FAILED, False) and message_template in SENT_MESSAGES:
            return
        super().add_message(request, level, message_template, *args, **kwargs)
