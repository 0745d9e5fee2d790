from accounts.management.commands.grant_curator import Command as GrantCuratorCommand


class Command(GrantCuratorCommand):
    help = "Stop the user with this email address being a curator."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        super().handle(*args, email=email, revoke=True, **options)
