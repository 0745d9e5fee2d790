from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from hubs.models import Hub
from hubs.selectors import hub_summary


class HomeView(TemplateView):
    template_name = "hubs/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hubs"] = Hub.objects.published().with_citing_count().order_by("-citing_count")
        return context


class HubDetailView(DetailView):
    template_name = "hubs/hub_detail.html"
    context_object_name = "hub"

    def get_object(self, queryset=None):
        hubs = Hub.objects.visible_to(self.request.user).select_related("paper")
        return get_object_or_404(hubs, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["paper"] = self.object.paper
        context["summary"] = hub_summary(self.object)
        return context
