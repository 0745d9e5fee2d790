from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Score the citation classifier on a labelled file: SciCite JSON Lines for --task role "
        "(ACL-ARC's JSON Lines also work), Athar's tab-separated corpus for --task polarity. "
        "Prints accuracy, macro-F1, per-class precision/recall/F1, the confusion matrix and a "
        "reliability table; the last line is macro_f1=<value>."
    )

    def add_arguments(self, parser):
        parser.add_argument("--task", choices=["role", "polarity"], required=True)
        parser.add_argument("--data", type=Path, required=True, help="The labelled file.")
        parser.add_argument(
            "--model", type=Path, help="A model folder (default: the shipped model)."
        )
        parser.add_argument(
            "--athar-dev",
            action="store_true",
            help="Polarity only: score just the rows of our Athar dev split (by cited paper).",
        )

    def handle(self, *args, task, data, model, athar_dev, **options):
        from hubs.classification import data as corpora
        from hubs.classification import labels, load_model, metrics
        from hubs.classification.training import evaluate

        if not data.is_file():
            raise CommandError(f"{data} is not a file.")
        try:
            if task == "role":
                examples = corpora.read_role_file(data)
                expressible = sorted({e.label for e in examples} | _corpus_roles(examples))
            else:
                examples = corpora.read_athar(data)
                if athar_dev:
                    examples = [e for e in examples if corpora.athar_is_dev(e.group)]
                expressible = list(labels.POLARITIES)
        except (ValueError, KeyError) as exc:
            raise CommandError(f"{data} is not in the expected format for {task}: {exc}") from exc
        if not examples:
            raise CommandError(f"{data} has no labelled {task} examples.")
        classifier = load_model(model)
        report = evaluate(classifier, task, examples, expressible)
        self.stdout.write(f"model: {classifier.version}")
        self.stdout.write(f"data: {data}")
        self.stdout.write(f"labels the file can express: {', '.join(expressible)}")
        self.stdout.write(metrics.format_report(report))
        self.stdout.write(f"macro_f1={report.macro_f1:.4f}")


def _corpus_roles(examples) -> set[str]:
    # Score only among the labels the corpus's scheme has: a SciCite "method" sentence
    # that the model calls builds_on is a choice SciCite could not have made.
    from hubs.classification import labels

    sources = {e.source for e in examples}
    mapping = labels.ACL_ARC_ROLES if sources == {"acl-arc"} else labels.SCICITE_ROLES
    return {str(role) for role in mapping.values() if role}
