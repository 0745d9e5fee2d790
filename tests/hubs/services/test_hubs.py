"""hubs/services/hubs.py: a hub's note, published flag and representatives."""

import pytest
from django.core.exceptions import ValidationError

from hubs import services
from tests.factories import HubFactory, PaperFactory

pytestmark = pytest.mark.django_db


class TestHubRepresentatives:
    def test_sets_order_and_snapshots_it_in_history(self, curator, make_citing_papers):
        hub = HubFactory()
        first, second = [c.citing for c in make_citing_papers(hub, 2)]
        services.hub_set_representatives(hub=hub, papers=[second, first], by=curator)
        assert [link.paper for link in hub.representative_links.all()] == [second, first]
        snapshot = hub.history.latest().representatives.order_by("position")
        assert [row.paper_id for row in snapshot] == [second.pk, first.pk]

    def test_refuses_a_paper_that_does_not_cite_the_hub(self, curator):
        hub = HubFactory()
        with pytest.raises(ValidationError, match="must cite the hub's paper"):
            services.hub_set_representatives(hub=hub, papers=[PaperFactory()], by=curator)

    def test_revert_restores_fields_and_representatives(
        self, curator, superuser, make_citing_papers
    ):
        hub = HubFactory(curator_note="first note")
        first, second = [c.citing for c in make_citing_papers(hub, 2)]
        services.hub_set_representatives(hub=hub, papers=[first, second], by=curator)
        version = hub.history.latest().history_id
        services.hub_update(
            hub=hub, slug=hub.slug, is_published=False, curator_note="changed", by=curator
        )
        services.hub_set_representatives(hub=hub, papers=[second], by=curator)

        services.hub_revert(hub=hub, history_id=version, by=superuser)

        hub.refresh_from_db()
        assert (hub.curator_note, hub.is_published) == ("first note", True)
        assert [link.paper for link in hub.representative_links.all()] == [first, second]
        assert hub.history.latest().history_user == superuser
