from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hubs.demo.acl import SHARED_DATA_ENV, shared_data_dir


class Command(BaseCommand):
    help = (
        "Train the citation role and polarity classifier on SciCite, ACL-ARC and the Athar "
        "corpus (and, with --with-curated, curators' labels); writes the model and "
        "metadata.json (data hashes, dev scores, confusion matrices, reliability table). "
        "Seeded: the same data and seed give the same model. To rebuild the shipped model: "
        "train_classifier --data ../shared/data --out hubs/classification/model"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            type=Path,
            help=f"The shared data folder (default: ${SHARED_DATA_ENV}, else ../shared/data).",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help="Where to write the model (default: var/models/).",
        )
        parser.add_argument(
            "--with-curated",
            action="store_true",
            help="Add curators' labels (with their citing sentences) to the training data.",
        )
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, data, out, with_curated, seed, **options):
        from hubs.classification.training import train

        data_dir = data or shared_data_dir()
        out = out or settings.BASE_DIR / "var" / "models"
        try:
            metadata = train(
                data_dir=data_dir,
                out=out,
                with_curated=with_curated,
                seed=seed,
                log=self.stdout.write,
            )
        except FileNotFoundError as exc:
            raise CommandError(
                f"Training needs {exc.args[0]}, which is missing. Point --data or "
                f"${SHARED_DATA_ENV} at the shared data folder."
            ) from exc
        curated = metadata["curated_labels_used"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Model {metadata['version']} written to {out} "
                f"({curated['role']} curated role and {curated['polarity']} curated "
                f"polarity labels used)."
            )
        )
