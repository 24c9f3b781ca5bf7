from allauth.account.adapter import DefaultAccountAdapter

from .services import outgoing_email_queue_message


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # Verification and password-reset emails go through the outbox like
        # every other email, so a mail server that is down loses none of them.
        message = self.render_mail(template_prefix, email, context)
        outgoing_email_queue_message(message=message)
