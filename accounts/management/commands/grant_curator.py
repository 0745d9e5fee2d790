from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import curator_status
from accounts.services import curator_grant, curator_revoke


class Command(BaseCommand):
    help = "Make the user with this email address a curator (or, with --revoke, stop it)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--revoke", action="store_true", help="Remove the user from the Curators group."
        )

    def handle(self, *args, email, revoke, **options):
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user has the email address {email!r}.") from exc
        if revoke:
            curator_revoke(user=user)
            self.stdout.write(f"{user.email} is no longer a curator.")
        else:
            curator_grant(user=user)
            self.stdout.write(f"{user.email} is now a curator.")
            missing = curator_status(user).steps_missing()
            if missing:
                self.stdout.write(
                    f"Before curating they must {' and '.join(missing)} "
                    "(from their account page, /account/)."
                )
